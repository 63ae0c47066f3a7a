import type { CodeBlock, SourceSection } from "../model/source.js";
import { excerpt } from "../parse/inline.js";
import { namedParameters, unnamedParameters } from "../parse/path-template.js";
import { isHttpMessage } from "../parse/sections/apis.js";
import type { Rule } from "./rule.js";
import { at, isPlaceholder, listOr, replaceSpan } from "./util.js";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const OTHER_METHODS = ["TRACE", "CONNECT", "QUERY"];
const NO_BODY = new Set(["GET", "DELETE", "HEAD"]);
/** Methods whose success response usually has a body, so a Response example is expected. */
const RETURNS_BODY = new Set(["GET", "POST", "PUT", "PATCH", "QUERY"]);
/** Text saying an API answers without a body. */
const NO_CONTENT = /\b(?:204|no content|no body|empty body|empty response)\b/i;
const NO_RESPONSE = /^\s*(?:[-*+]\s+)?\*{0,2}responses?\*{0,2}\s*:?\*{0,2}\s*:?\s*(?:none|n\/a|empty|nothing|-)\.?\s*$/im;

/** Whether the API's section says it answers without a body (204, No Content, Response: none). */
function saysNoContent(ctx: Parameters<Rule["check"]>[0], section: SourceSection | undefined): boolean {
  if (!section) return false;
  const { lineStarts, text } = ctx.source;
  const body = text.slice(lineStarts[section.bodyStart - 1] ?? text.length, lineStarts[section.end] ?? text.length);
  return NO_CONTENT.test(body) || NO_RESPONSE.test(body);
}

export const apiFields: Rule = {
  id: "api-fields",
  description: "Every API has an endpoint starting with /, an HTTP method (in upper case: other casing is a fixable warning), declared path parameters, no body on GET/DELETE, 4xx/5xx error codes, a Response example when it returns a body (a warning), and a unique method + endpoint (a duplicate is a warning).",
  fixable: true,
  defaultSeverity: "error",
  docs: {
    bad: "- **Endpoint**: `api/v1/refunds/{refundId}`\n- **Method**: FETCH\n- **Error Responses**:\n  - 200: OK",
    good: "- **Endpoint**: `/api/v1/refunds/{refundId}`\n- **Method**: GET\n- **Request Parameters**:\n  - refundId: UUID - Refund to read\n- **Error Responses**:\n  - 404: Refund not found",
  },
  check(ctx, report) {
    const seen = new Map<string, string>();
    let apiSections: SourceSection[] | undefined;
    let examplePaths: Set<string> | undefined;
    let blocksAt: Map<number, CodeBlock> | undefined;
    ctx.spec.apis.forEach((api, i) => {
      const base = `apis/${i}`;
      const label = `API "${excerpt(api.name)}"`;
      const endpoint = api.endpoint;
      if (endpoint === null || endpoint === "") {
        report({ message: `${label} has no endpoint (add "- **Endpoint**: \`/path\`")`, at: at(ctx, base) });
      } else if (!isPlaceholder(endpoint) && !endpoint.startsWith("/")) {
        report({ message: `Endpoint "${endpoint}" of ${label} must start with "/" (write the path, without scheme or host)`, at: at(ctx, `${base}/endpoint`) });
      }
      const method = api.method;
      const upper = method?.toUpperCase() ?? "";
      if (method === null || method === "") {
        report({ message: `${label} has no method (add "- **Method**: GET")`, at: at(ctx, base) });
      } else if (!isPlaceholder(method) && !METHODS.includes(upper) && !OTHER_METHODS.includes(upper)) {
        report({ message: `Method "${method}" of ${label} is not an HTTP method (expected ${listOr(METHODS)})`, at: at(ctx, `${base}/method`) });
      } else if (ctx.pos.has(`${base}/method`)) {
        // The model holds the method in upper case; the text may not.
        const where = at(ctx, `${base}/method`);
        const written = ctx.source.lines[where.line - 1]!.slice(where.column - 1, where.endColumn - 1);
        if (written !== method && written.toUpperCase() === method) {
          report({ message: `Method "${written}" of ${label} should be written "${method}"`, at: where, severity: "warning", fix: replaceSpan(ctx.source, where, method) });
        }
      }
      // A Response block in JSON or another language the parser reads (markdown, xml, a media type) is the example.
      if (RETURNS_BODY.has(upper) && api.response === null && !(examplePaths ??= new Set(ctx.source.jsonExamples.map((x) => x.path))).has(`${base}/response`) && !saysNoContent(ctx, (apiSections ??= ctx.source.sections.filter((x) => x.key === "api"))[i])) {
        // The label's block is there but was not read: its language is one the parser does not know.
        const where = ctx.pos.get(`${base}/response`);
        const block = where ? (blocksAt ??= new Map(ctx.source.codeBlocks.map((b) => [b.line, b]))).get(where.line) : undefined;
        report({
          message: block && isHttpMessage(block.text)
            ? `${label} (${upper}) returns a body but its Response block is a whole HTTP message, not a body (write the body alone, in a block marked with its language)`
            : block
              ? `${label} (${upper}) returns a body but its Response example, ${block.lang ? `a block marked "${excerpt(block.lang)}"` : "a block without a language that is not JSON"}, is not read (mark it json, markdown, xml, yaml, html, text or csv, or with its media type, e.g. application/x-ndjson)`
              : `${label} (${upper}) returns a body but has no Response example (add "- **Response**:" with a JSON block, or say "Response: 204 No Content")`,
          at: at(ctx, base), severity: "warning",
        });
      }
      if (endpoint && !isPlaceholder(endpoint)) {
        const declared = new Set(api.parameters.map((p) => p.name.replace(/^[{:]|}$/g, "").toLowerCase()));
        for (const name of namedParameters(endpoint)) {
          if (!declared.has(name.toLowerCase())) {
            report({
              message: `Path parameter "${name}" of ${label} is not declared under Request Parameters (add "  - ${name}: Type - Description")`,
              at: at(ctx, `${base}/endpoint`),
            });
          }
        }
      }
      if (NO_BODY.has(upper) && ctx.pos.has(`${base}/requestBody`)) {
        report({ message: `${upper} request of ${label} must not have a request body (send it as parameters, or use POST)`, at: at(ctx, `${base}/requestBody`) });
      }
      api.errors.forEach((e, k) => {
        if (isPlaceholder(e.status)) return;
        if (!/^[45]\d\d$/.test(e.status)) {
          report({
            message: `Error response "${e.status}" of ${label} is not a 4xx or 5xx status code`,
            at: at(ctx, `${base}/errors/${k}`),
          });
        }
      });
      if (endpoint && method && !isPlaceholder(endpoint) && !isPlaceholder(method)) {
        const key = `${upper} ${unnamedParameters(endpoint).replace(/\/$/, "")}`;
        const first = seen.get(key);
        if (first !== undefined) {
          report({ message: `${upper} ${endpoint} is also defined by API "${first}" (merge them or change the path)`, at: at(ctx, `${base}/endpoint`), severity: "warning" });
        } else seen.set(key, api.name);
      }
    });
  },
};
