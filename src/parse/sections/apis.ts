// One API of the API Design: method and endpoint (from the Endpoint and Method labels, the heading, or a code
// line), parameters, request and response examples, error responses.
import type { Span } from "../../model/position.js";
import type { CodeBlock, SourceSection } from "../../model/source.js";
import type { Api, ErrorResponse, JsonValue, Parameter } from "../../model/spec.js";
import { findSeparator, isDelimiterRow, isTableLine, listItem, normalizeName, plain, splitRow, stripBreak } from "../inline.js";
import { locateJsonError, MAX_JSON_DEPTH, parseJson } from "../parse-json.js";
import { itemName } from "../section-keys.js";
import { NONE, span, type ParseContext } from "../context.js";
import { labelledBlocks, type BlockLine } from "./labels.js";

type ApiLabel = "endpoint" | "method" | "parameters" | "requestBody" | "response" | "errors";

/** The labels of an API, by normalized spelling. */
export const API_LABELS: Readonly<Record<string, ApiLabel>> = {
  endpoint: "endpoint", url: "endpoint", path: "endpoint", route: "endpoint", "endpoint url": "endpoint", uri: "endpoint", "endpoint path": "endpoint",
  method: "method", "http method": "method", verb: "method", "http verb": "method",
  "request parameters": "parameters", parameters: "parameters", params: "parameters", "query parameters": "parameters",
  "path parameters": "parameters", "request params": "parameters", "parameters and headers": "parameters", "query params": "parameters",
  "path params": "parameters", "request headers": "parameters", headers: "parameters", "query string": "parameters",
  "request body": "requestBody", request: "requestBody", body: "requestBody", "request payload": "requestBody", payload: "requestBody",
  "example request": "requestBody", "sample request": "requestBody", "request example": "requestBody", input: "requestBody",
  response: "response", "response body": "response", "success response": "response", responses: "response", "response example": "response",
  "example response": "response", "sample response": "response", "response payload": "response", output: "response", returns: "response",
  "error responses": "errors", errors: "errors", "error codes": "errors", "error response": "errors", "error handling": "errors",
  "failure responses": "errors", "error cases": "errors",
};

/** The API label a normalized label names: the table above, or a longer form such as `Response (201 Created)`. */
function apiLabel(key: string): ApiLabel | undefined {
  const direct = API_LABELS[key];
  if (direct) return direct;
  if (/^(?:errors?|error (?:responses?|codes?|handling|cases)|failure responses?)\b/.test(key)) return "errors";
  if (/^(?:example |sample )?requests?(?: body| payload| example| json)?\b/.test(key)) return "requestBody";
  if (/^(?:example |sample |success(?:ful)? )?responses?\b/.test(key)) return "response";
  return undefined;
}

const METHODS = "GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE|CONNECT|QUERY";
const HTTP_PREFIX = new RegExp(`^(${METHODS})\\s+(\\S.*)$`, "i");
/** A heading naming its API by method and path: `POST /api/v1/forecast`, `API 3: GET /x`, `Create refund (POST /refunds)`. */
export const API_HEADING = new RegExp(`^(?:(?:api|endpoint|operation)\\s*#?\\d*\\s*[:.\\-–—]\\s*)?(?:${METHODS})\\s+\\/|\\b(?:${METHODS.toUpperCase()})\\s+\\/`, "i");
const METHOD_PATH = new RegExp(`\\b(${METHODS})\\s+(\\/[^\\s)\`*]*)`);
/** A line that is only a method and a path (in a code span, bold, or an HTTP request line). */
const METHOD_PATH_LINE = new RegExp(`^(${METHODS})\\s+(\\/\\S*)(?:\\s+HTTP\\/[\\d.]+)?$`);
const METHOD_PATH_LINE_ANY_CASE = new RegExp(METHOD_PATH_LINE.source, "i");

/** Whether lines `from`..`to` declare an API: an Endpoint or Method label, or a method-and-path line. */
export function hasApiSignal(ctx: ParseContext, from: number, to: number): boolean {
  const { blocks, loose } = labelledBlocks(ctx, from, to, API_LABELS);
  if (blocks.some((b) => !b.heading && (API_LABELS[b.key] === "endpoint" || API_LABELS[b.key] === "method") && plain(b.value) !== "")) return true;
  return [...loose, ...blocks.flatMap((b) => b.lines)].some((l) => methodPathOf(ctx, l) !== null);
}

/** A method and path written as a line of its own, or as the first line of a fenced HTTP block. */
function methodPathOf(ctx: ParseContext, l: BlockLine): { method: string; path: string; line: number; column: number } | null {
  if (l.code) {
    const b = l.code;
    if (b.lang !== "" && b.lang !== "http" && b.lang !== "https" && b.lang !== "text") return null;
    const first = b.text.split("\n").findIndex((x) => x.trim() !== "");
    if (first < 0) return null;
    const raw = b.text.split("\n")[first]!;
    const m = METHOD_PATH_LINE.exec(raw.trim());
    if (!m) return null;
    const line = b.contentLine + first;
    const col = (ctx.scan.lines[line - 1] ?? "").indexOf(m[1]!) + 1;
    return { method: m[1]!, path: m[2]!, line, column: col };
  }
  const raw = (l.item ? l.item.content : l.text).trim();
  const t = plain(raw);
  // In a code span the method may be in any case (`post /x`); in plain text only an upper-case one counts.
  const m = METHOD_PATH_LINE.exec(t) ?? (/^`[^`]+`$/.test(raw) ? METHOD_PATH_LINE_ANY_CASE.exec(t) : null);
  if (!m) return null;
  return { method: m[1]!, path: m[2]!, line: l.line, column: l.text.indexOf(m[1]!) + 1 };
}

/** The method in upper case when it is an HTTP method written in another case; other values as written. */
const METHOD_WORD = new RegExp(`^(?:${METHODS})$`);

function methodCase(m: string): string {
  const u = m.toUpperCase();
  return METHOD_WORD.test(u) ? u : m;
}

/** Reads the API of section `s` (its whole extent, sub-headings such as `##### Response` included). */
export function readApi(ctx: ParseContext, s: SourceSection, index: number): Api {
  const base = `apis/${index}`;
  ctx.pos.set(base, s.span);
  ctx.pos.set(`${base}/name`, s.span);
  const { lines } = ctx.scan;
  let endpoint: string | null = null;
  let method: string | null = null;
  const parameters: Parameter[] = [];
  const errors: ErrorResponse[] = [];
  let requestBody: JsonValue | null = null;
  let response: JsonValue | null = null;
  let requestMediaType: string | null = null;
  let responseMediaType: string | null = null;
  const filled = new Set<ApiLabel>(); // a label takes the first code block after it
  const { blocks, loose } = labelledBlocks(ctx, s.bodyStart, s.end, API_LABELS);
  for (const b of blocks) {
    const label = apiLabel(b.key);
    if (!label) continue;
    const line = lines[b.line - 1]!;
    const v = plain(b.value);
    const vCol = b.valueColumn + Math.max(0, b.value.indexOf(v.charAt(0)));
    if (!b.heading) {
      if (label === "endpoint" && v) {
        const m = HTTP_PREFIX.exec(v);
        const ep = m ? m[2]!.trim() : v;
        const epCol = m ? b.valueColumn + Math.max(0, b.value.indexOf(m[2]!.charAt(0), b.value.search(/\s/))) : vCol;
        endpoint = ep;
        ctx.pos.set(`${base}/endpoint`, span(b.line, epCol, epCol + ep.length));
        if (m && method === null) {
          method = m[1]!;
          ctx.pos.set(`${base}/method`, span(b.line, vCol, vCol + m[1]!.length));
        }
      } else if (label === "method" && v) {
        method = v;
        ctx.pos.set(`${base}/method`, span(b.line, vCol, vCol + v.length));
      } else if (label !== "endpoint" && label !== "method" && !ctx.pos.has(`${base}/${label}`)) {
        ctx.pos.set(`${base}/${label}`, span(b.line, b.labelColumn, line.length + 1));
      }
    } else if (label !== "endpoint" && label !== "method" && !ctx.pos.has(`${base}/${label}`)) {
      ctx.pos.set(`${base}/${label}`, span(b.line, b.labelColumn, b.valueColumn));
    }
    if (label === "requestBody" || label === "response") {
      if (filled.has(label)) continue;
      const block = b.lines.find((x) => x.code !== null)?.code;
      if (!block) continue;
      filled.add(label);
      const path = `${base}/${label}`;
      ctx.pos.set(path, span(block.line, 1, (lines[block.endLine - 1] ?? "").length + 1, block.endLine));
      const { value, mediaType } = readBody(ctx, block, path);
      if (label === "requestBody") {
        requestBody = value;
        requestMediaType = mediaType;
      } else {
        response = value;
        responseMediaType = mediaType;
      }
      continue;
    }
    if (label !== "parameters" && label !== "errors") continue;
    if (readTable(ctx, b.lines, label, base, parameters, errors)) continue;
    for (const x of b.lines) {
      const li = x.item ?? (x.code ? null : listItem(x.text));
      if (!li) continue;
      const raw = stripBreak(li.content);
      const t = plain(raw);
      if (NONE.test(t)) continue;
      if (label === "parameters") {
        ctx.pos.set(`${base}/parameters/${parameters.length}`, span(x.line, li.contentColumn, li.contentColumn + raw.length));
        parameters.push(parseParameter(t));
      } else {
        ctx.pos.set(`${base}/errors/${errors.length}`, span(x.line, li.contentColumn, li.contentColumn + raw.length));
        errors.push(parseError(t));
      }
    }
  }
  if (endpoint === null) {
    const found = fromHeading(ctx, s) ?? firstMethodPath(ctx, [...loose, ...blocks.filter((b) => !apiLabel(b.key) || apiLabel(b.key) === "endpoint").flatMap((b) => b.lines)]);
    if (found) {
      endpoint = found.path;
      ctx.pos.set(`${base}/endpoint`, found.pathSpan);
      if (method === null) {
        method = found.method;
        ctx.pos.set(`${base}/method`, found.methodSpan);
      }
    }
  }
  return { name: itemName(s.heading), endpoint, method: method === null ? null : methodCase(method), parameters,
    requestBody, requestMediaType, response, responseMediaType, errors };
}

/** Parameters or error responses written as a table (`| Name | Type | Description |`, `| Status | Description |`). */
function readTable(ctx: ParseContext, blockLines: readonly BlockLine[], label: "parameters" | "errors", base: string,
  parameters: Parameter[], errors: ErrorResponse[]): boolean {
  const rows = blockLines.filter((x) => !x.code && !x.item && isTableLine(x.text));
  if (rows.length < 2) return false;
  const header = splitRow(rows[0]!.text).cells.map((c) => normalizeName(plain(c.text)));
  const body = rows.slice(1).filter((r) => !isDelimiterRow(splitRow(r.text).cells));
  const col = (re: RegExp, fallback: number): number => {
    const k = header.findIndex((h) => re.test(h));
    return k >= 0 ? k : fallback;
  };
  for (const r of body) {
    const row = splitRow(r.text);
    const cell = (k: number): string => plain(row.cells[k]?.text ?? "");
    const at = span(r.line, 1, row.endColumn);
    if (label === "parameters") {
      const name = cell(col(/^(?:name|parameter|param|field|key)$/, 0));
      if (name === "" || NONE.test(name)) continue;
      const type = cell(col(/^(?:type|data type|schema)$/, 1));
      const description = cell(col(/^(?:description|desc|details|meaning)$/, 2));
      ctx.pos.set(`${base}/parameters/${parameters.length}`, at);
      parameters.push({ name: name.replace(/^`|`$/g, ""), type: type || null, description: description || null });
    } else {
      const status = cell(col(/^(?:status|status code|code|http status|http code)$/, 0));
      if (status === "" || NONE.test(status)) continue;
      ctx.pos.set(`${base}/errors/${errors.length}`, at);
      errors.push({ status, description: cell(col(/^(?:description|desc|meaning|reason|message|when)$/, 1)) });
    }
  }
  return true;
}

type Found = { method: string; path: string; methodSpan: Span; pathSpan: Span };

/** Method and path named in the API's heading. */
function fromHeading(ctx: ParseContext, s: SourceSection): Found | null {
  const text = plain(s.heading);
  const m = METHOD_PATH.exec(text) ?? new RegExp(`^(${METHODS})\\s+(\\/[^\\s)\`*]*)`, "i").exec(text.replace(/^(?:api|endpoint|operation)\s*#?\d*\s*[:.\-–—]\s*/i, ""));
  if (!m || !API_HEADING.test(text)) return null;
  const line = ctx.scan.lines[s.line - 1]!;
  const mc = line.indexOf(m[1]!, s.span.column - 1);
  const pc = line.indexOf(m[2]!, mc + m[1]!.length);
  return { method: m[1]!, path: m[2]!, methodSpan: span(s.line, mc + 1, mc + 1 + m[1]!.length), pathSpan: span(s.line, pc + 1, pc + 1 + m[2]!.length) };
}

function firstMethodPath(ctx: ParseContext, lines: readonly BlockLine[]): Found | null {
  for (const l of [...lines].sort((a, b) => a.line - b.line)) {
    const m = methodPathOf(ctx, l);
    if (!m) continue;
    const text = ctx.scan.lines[m.line - 1]!;
    const pc = text.indexOf(m.path, m.column - 1 + m.method.length);
    return { method: m.method, path: m.path, methodSpan: span(m.line, m.column, m.column + m.method.length), pathSpan: span(m.line, pc + 1, pc + 1 + m.path.length) };
  }
  return null;
}

/**
 * Media types of the languages whose blocks are read as text examples (the block's text, a string in the model).
 * A block in another language is not read (its media type is not guessed), unless the language is a media type.
 */
export const TEXT_MEDIA_TYPES: Readonly<Record<string, string>> = {
  markdown: "text/markdown", md: "text/markdown", xml: "application/xml", html: "text/html",
  text: "text/plain", txt: "text/plain", plain: "text/plain", plaintext: "text/plain",
  yaml: "application/yaml", yml: "application/yaml", csv: "text/csv", graphql: "application/graphql",
};

/** A language written as a media type (```application/x-ndjson): type/subtype, RFC 6838 restricted names. */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;
/** A media type of JSON: application/json, or a +json one (application/problem+json). */
const JSON_MEDIA_TYPE = /^application\/(?:json|[a-z0-9!#$&^_.+-]*\+json)$/i;

/** The first line of an HTTP message (`POST /refunds HTTP/1.1`, `HTTP/1.1 200 OK`): the block is a whole exchange, not a body. */
const HTTP_START_LINE = new RegExp(`^(?:(?:${METHODS})\\s+(?:\\/|https?:\\/\\/)\\S*(?:\\s+HTTP\\/[\\d.]+)?|HTTP\\/[\\d.]+\\s+\\d{3}(?:\\s.*)?)$`);

/** Whether an example of this media type is JSON (the model holds its value), not text (the model holds a string). */
export function isJsonMediaType(mediaType: string): boolean {
  return JSON_MEDIA_TYPE.test(mediaType);
}

/**
 * The example a block holds, and its media type: JSON (see `isJsonLike`) parsed; a block in a language of
 * TEXT_MEDIA_TYPES, or marked with a media type, as its text; any other block is not read (null, null).
 */
function readBody(ctx: ParseContext, block: CodeBlock, path: string): { value: JsonValue | null; mediaType: string | null } {
  if (isJsonLike(block)) {
    const value = readJson(ctx, block, path);
    return { value, mediaType: value === null ? null : "application/json" };
  }
  const explicit = MEDIA_TYPE.test(block.lang) ? block.lang : null;
  if (explicit !== null && isJsonMediaType(explicit)) {
    const value = readJson(ctx, block, path);
    return { value, mediaType: value === null ? null : explicit };
  }
  const mediaType = explicit ?? (Object.hasOwn(TEXT_MEDIA_TYPES, block.lang) ? TEXT_MEDIA_TYPES[block.lang]! : null);
  if (mediaType === null) return { value: null, mediaType: null };
  if (isHttpMessage(block.text)) return { value: null, mediaType: null };
  return { value: block.text, mediaType };
}

/** Whether a block's text is a whole HTTP message (its first line a request or status line), not a body alone. */
export function isHttpMessage(text: string): boolean {
  return HTTP_START_LINE.test(/\S[^\n]*/.exec(text)?.[0].trimEnd() ?? "");
}

/** A block read as a JSON example: marked json/jsonc, or unmarked and starting like JSON. */
function isJsonLike(block: CodeBlock): boolean {
  if (block.lang === "json" || block.lang === "jsonc" || block.lang === "json5") return true;
  if (block.lang !== "") return false;
  const t = block.text.trimStart();
  return t.startsWith("{") || t.startsWith("[") || t === "";
}

function readJson(ctx: ParseContext, block: CodeBlock, path: string): JsonValue | null {
  // The content as written (a flat slice of the source, indentation and all) parses faster than the
  // joined text, and error positions are then exact source columns.
  const r = parseJson(ctx.text.slice(block.contentStart, block.contentEnd));
  if (r.ok) {
    ctx.jsonExamples.push({ path, block, error: null });
    return r.value;
  }
  const { line, column, endColumn } = locateJsonError(r, block, ctx.scan.lines);
  ctx.jsonExamples.push({ path, block, error: { message: r.message, line, column, ...(r.tooDeep ? { tooDeep: true as const } : {}) } });
  // The model holds null; the diagnostic says why. It carries the json-block rule's id, so configuring
  // that rule (severity, off) governs it too.
  const m = /^apis\/(\d+)\/(requestBody|response)$/.exec(path);
  const what = m ? `the ${m[2] === "requestBody" ? "request body" : "response"} of API ${Number(m[1]) + 1}` : path;
  ctx.diagnostics.push({ file: ctx.path, line, column, endLine: line, endColumn, rule: "json-block", severity: "error",
    message: r.tooDeep
      ? `JSON in ${what} is ${r.message} at line ${line}, column ${column} (examples are read to ${MAX_JSON_DEPTH} levels; flatten or shorten it)`
      : `Invalid JSON in ${what}: ${r.message} at line ${line}, column ${column}` });
  return null;
}

function parseParameter(t: string): Parameter {
  let m = /^(:?[\w.[\]{}-]+)\s*\(([^)]*)\)\s*(?:[:\-–—]\s*(.*))?$/.exec(t);
  if (m) return { name: m[1]!, type: m[2]!.trim() || null, description: m[3]?.trim() || null };
  m = /^(:?[\w.[\]{}-]+)\s*:\s*(.*)$/.exec(t);
  if (m) {
    const rest = m[2]!.trim();
    const sep = findSeparator(rest, "-–—");
    if (sep) return { name: m[1]!, type: rest.slice(0, sep.start).trim() || null, description: rest.slice(sep.end).trim() || null };
    return /^\S+$/.test(rest) ? { name: m[1]!, type: rest || null, description: null } : { name: m[1]!, type: null, description: rest || null };
  }
  m = /^(:?[\w.[\]{}-]+)\s+[-–—]\s+(.*)$/.exec(t);
  if (m) return { name: m[1]!, type: null, description: m[2]!.trim() || null };
  return { name: t, type: null, description: null };
}

function parseError(t: string): ErrorResponse {
  const m = /^(\[[^\]]*\]|\S+?)(?:\s*:\s*|\s+[-–—]\s+|\s+)(.*)$/.exec(t);
  if (!m) return { status: t.replace(/:$/, ""), description: "" };
  return { status: m[1]!.replace(/:$/, ""), description: m[2]!.trim() };
}
