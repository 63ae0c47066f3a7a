// Semantic diff: a table of before/after edits of an example spec and the classification each must get,
// plus the command's formats, exit codes and git revisions.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { diffSpecs, type Change } from "../src/diff/spec-diff.js";
import { parseSpec } from "../src/parse/parse-spec.js";

const cli = resolve("dist", "src", "cli", "main.js");
const BASE_PATH = "examples/specs/FEAT-0001-refund-processing/technical-specification.md";
const BASE = readFileSync(BASE_PATH, "utf8");
const temps: string[] = [];
after(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** An edit of the base spec: each [from, to] replaces the first occurrence (which must exist). */
function edited(...edits: [string, string][]): string {
  let text = BASE;
  for (const [from, to] of edits) {
    assert.ok(text.includes(from), `the base spec contains ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  return text;
}

const API1_RESPONSE = '    "currency": "USD",\n';
const REFUND_AMOUNT = "| amount | BigInt | Refunded amount in minor currency units | Not null, Check > 0 |";

/** Each case: the edit, and the API/data changes it must produce as "area kind subject impact (reason)". */
const CASES: { name: string; after: string; expect: string[] }[] = [
  { name: "removed endpoint", after: edited(["- **Endpoint**: `/api/v1/refunds/{refundId}/cancel`", "- **Endpoint**: `/api/v1/refunds/{refundId}/void`"]),
    expect: ["api removed POST /api/v1/refunds/{refundId}/cancel breaking (removed endpoint (Cancel Refund moved to POST /api/v1/refunds/{refundId}/void))",
      "api added POST /api/v1/refunds/{refundId}/void non-breaking (new endpoint)"] },
  { name: "removed response field", after: edited([API1_RESPONSE, ""]),
    expect: ["response removed POST /api/v1/payments/{paymentId}/refunds currency breaking (removed response field)"] },
  { name: "added response field", after: edited([API1_RESPONSE, `${API1_RESPONSE}    "refundedAmount": 2500,\n`]),
    expect: ["response added POST /api/v1/payments/{paymentId}/refunds refundedAmount non-breaking (new response field)"] },
  { name: "changed response type", after: edited(['    "amount": 2500,\n    "currency"', '    "amount": "2500",\n    "currency"']),
    expect: ["response changed POST /api/v1/payments/{paymentId}/refunds amount breaking (changed response type)"] },
  { name: "new required request field", after: edited(['    "amount": 2500,\n    "reason"', '    "amount": 2500,\n    "currency": "USD",\n    "reason"']),
    expect: ["request added POST /api/v1/payments/{paymentId}/refunds currency breaking (new required request field)"] },
  { name: "new request field the Data Model makes optional", after: edited(['    "amount": 2500,\n    "reason"', '    "amount": 2500,\n    "failureCode": null,\n    "reason"']),
    expect: ["request added POST /api/v1/payments/{paymentId}/refunds failureCode non-breaking (new optional request field (optional in the Data Model))"] },
  { name: "removed request field", after: edited(['    "reason": "requested_by_customer",\n    "metadata"', '    "metadata"']),
    expect: ["request removed POST /api/v1/payments/{paymentId}/refunds reason non-breaking (removed request field: the server stops reading it)"] },
  { name: "narrowed request type", after: edited(['    "amount": 2500,\n    "reason"', '    "amount": "2500",\n    "reason"']),
    expect: ["request changed POST /api/v1/payments/{paymentId}/refunds amount breaking (narrowed or changed request type)"] },
  { name: "widened request type", after: edited(['    "amount": 2500,\n    "reason"', '    "amount": 2500.5,\n    "reason"']),
    expect: ["request changed POST /api/v1/payments/{paymentId}/refunds amount non-breaking (widened request type)"] },
  { name: "removed status code", after: edited(["  - 429: The merchant exceeded the refund rate limit\n", ""]),
    expect: ["error removed POST /api/v1/payments/{paymentId}/refunds 429 breaking (removed status code: clients that handle it get another one)"] },
  { name: "added status code", after: edited(["  - 429: The merchant exceeded the refund rate limit\n", "  - 429: The merchant exceeded the refund rate limit\n  - 503: The processor is unavailable\n"]),
    expect: ["error added POST /api/v1/payments/{paymentId}/refunds 503 non-breaking (new status code)"] },
  { name: "new required parameter", after: edited(["  - Idempotency-Key: String - Header, unique per merchant, up to 255 characters\n- **Request Body**:\n  ```json\n  {\n    \"amount\"",
    "  - Idempotency-Key: String - Header, unique per merchant, up to 255 characters\n  - X-Merchant-Id: UUID - Required header naming the merchant\n- **Request Body**:\n  ```json\n  {\n    \"amount\""]),
    expect: ["parameter added POST /api/v1/payments/{paymentId}/refunds X-Merchant-Id breaking (new required parameter)"] },
  { name: "narrowed column type", after: edited(["| currency | String(3) | ISO 4217 currency code, always equal to the payment currency | Not null |", "| currency | String(2) | ISO 4217 currency code, always equal to the payment currency | Not null |"]),
    expect: ["field changed Refund.currency breaking (narrowed type)"] },
  { name: "widened column type", after: edited([REFUND_AMOUNT, "| amount | Decimal(20,0) | Refunded amount in minor currency units | Not null, Check > 0 |"]),
    expect: ["field changed Refund.amount non-breaking (widened type)"] },
  { name: "enum value removed", after: edited(["| type | Enum(partial, full) |", "| type | Enum(partial) |"]),
    expect: ["field changed Refund.type breaking (narrowed type)"] },
  { name: "enum value added", after: edited(["| type | Enum(partial, full) |", "| type | Enum(partial, full, goodwill) |"]),
    expect: ["field changed Refund.type non-breaking (widened type)"] },
  { name: "removed field", after: edited(["| failureCode | Varchar(64) | Processor failure code when the refund failed | Nullable |\n", ""]),
    expect: ["field removed Refund.failureCode breaking (removed field)"] },
  { name: "new required field without a default", after: edited([REFUND_AMOUNT, `${REFUND_AMOUNT}\n| channel | String(20) | Where the refund was requested | Not null |`]),
    expect: ["field added Refund.channel breaking (new required field without a default: existing rows and writers lack it)"] },
  { name: "new field with a default", after: edited([REFUND_AMOUNT, `${REFUND_AMOUNT}\n| channel | String(20) | Where the refund was requested | Not null, Default 'api' |`]),
    expect: ["field added Refund.channel non-breaking (new field with a default)"] },
  { name: "a column becomes required", after: edited(["| failureCode | Varchar(64) | Processor failure code when the refund failed | Nullable |", "| failureCode | Varchar(64) | Processor failure code when the refund failed | Not null |"]),
    expect: ["field changed Refund.failureCode breaking (required added or tightened)"] },
  { name: "a unique constraint is dropped", after: edited(["| processorRefundId | Varchar(64) | Stripe refund identifier once submitted | Nullable, Unique |", "| processorRefundId | Varchar(64) | Stripe refund identifier once submitted | Nullable |"]),
    expect: ["field changed Refund.processorRefundId non-breaking (unique removed or relaxed)"] },
  { name: "removed entity", after: edited(["#### Entity 3: RefundEvent", "#### Entity 3: RefundAuditEvent"]),
    expect: ["entity removed RefundEvent breaking (removed entity: its table and every reader of it lose the data)", "entity added RefundAuditEvent non-breaking (new entity)"] },
  { name: "prose only", after: edited(["issue full and partial refunds", "issue full and partial card refunds"]), expect: [] },
  { name: "request body in another media type", after: edited(['- **Request Body**:\n  ```json\n  {\n    "amount": 2500,\n    "reason": "requested_by_customer",\n    "metadata": {\n      "ticketId": "CS-48213"\n    }\n  }\n  ```',
    "- **Request Body**:\n  ```yaml\n  amount: 2500\n  reason: requested_by_customer\n  ```"]),
    expect: ["request changed POST /api/v1/payments/{paymentId}/refunds Content-Type breaking (changed request media type: requests in the old one are refused)"] },
  { name: "response in another media type", after: edited(['- **Response**:\n  ```json\n  {\n    "id": "5b1f8f0e-3c52-4c1e-9d0f-2f6a1c7e8b41",\n    "status": "canceled"',
    '- **Response**:\n  ```application/problem+json\n  {\n    "id": "5b1f8f0e-3c52-4c1e-9d0f-2f6a1c7e8b41",\n    "status": "canceled"']),
    expect: ["response changed POST /api/v1/refunds/{refundId}/cancel Content-Type breaking (changed response media type: clients reading the old one fail)"] },
];

const line = (c: Change): string => `${c.area} ${c.kind} ${c.subject} ${c.impact} (${c.reason})`;

test("a text body's media type change is a breaking change; its text is not compared; a model without media types is JSON", () => {
  const spec = (lang: string, body: string): string => edited(['- **Request Body**:\n  ```json\n  {\n    "note": "Customer withdrew the refund request"\n  }\n  ```',
    `- **Request Body**:\n  \`\`\`${lang}\n  ${body}\n  \`\`\``]);
  const markdown = parseSpec(spec("markdown", "# Why"), "a.md").spec;
  const api = (s: typeof markdown): typeof markdown.apis[number] => s.apis.find((a) => a.endpoint === "/api/v1/refunds/{refundId}/cancel")!;
  assert.equal(api(markdown).requestMediaType, "text/markdown");
  assert.deepEqual(diffSpecs(markdown, parseSpec(spec("md", "# Why not"), "b.md").spec).filter((x) => x.impact !== undefined), []);
  const changes = diffSpecs(markdown, parseSpec(spec("text", "Why"), "b.md").spec).filter((x) => x.impact !== undefined);
  assert.deepEqual(changes.map((c) => [c.subject, c.before, c.after, c.impact]),
    [["POST /api/v1/refunds/{refundId}/cancel Content-Type", "text/markdown", "text/plain", "breaking"]]);
  // A model built without media types (by hand, by an older version) has JSON bodies: nothing changed.
  const base = parseSpec(BASE, "before.md").spec;
  const bare = { ...base, apis: base.apis.map(({ requestMediaType: _q, responseMediaType: _s, ...a }) => a) };
  assert.deepEqual(diffSpecs(bare, base), []);
});

describe("classification table", () => {
  const before = parseSpec(BASE, "before.md").spec;
  for (const c of CASES) {
    test(c.name, () => {
      const changes = diffSpecs(before, parseSpec(c.after, "after.md").spec);
      assert.deepEqual(changes.filter((x) => x.impact !== undefined).map(line), c.expect);
    });
  }

  test("an identical spec has no changes; prose and metadata changes are reported without an impact", () => {
    assert.deepEqual(diffSpecs(before, parseSpec(BASE).spec), []);
    const changes = diffSpecs(before, parseSpec(edited(["**Status**: Approved", "**Status**: Implemented"], ["issue full and partial refunds", "issue all refunds"],
      ["#### Component 4: Webhook Reconciler", "#### Component 4: Event Reconciler"])).spec);
    assert.deepEqual(changes.map((c) => `${c.area} ${c.kind} ${c.subject}${c.impact ? " !" : ""}`),
      ["metadata changed status", "section changed Introduction", "component removed Webhook Reconciler", "component added Event Reconciler"]);
  });
});

describe("techspec diff", () => {
  const run = (cwd: string, args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  test("two files: text, json and markdown; --fail-on breaking exits 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "techspec-diff-"));
    temps.push(dir);
    writeFileSync(join(dir, "old.md"), BASE);
    writeFileSync(join(dir, "new.md"), edited([API1_RESPONSE, ""], ["  - 429: The merchant exceeded the refund rate limit\n", "  - 429: The merchant exceeded the refund rate limit\n  - 503: The processor is unavailable\n"]));
    const text = run(dir, ["diff", "old.md", "new.md"]);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, [
      "Refund Processing: old.md → new.md", "", "API",
      "  breaking     response field POST /api/v1/payments/{paymentId}/refunds currency removed  (removed response field)",
      "  non-breaking status POST /api/v1/payments/{paymentId}/refunds 503 added  (new status code)",
      "", "1 breaking, 1 non-breaking, 0 other changes", ""].join("\n"));
    const json = JSON.parse(run(dir, ["diff", "old.md", "new.md", "--json"]).stdout) as { summary: unknown; changes: Change[] };
    assert.deepEqual(json.summary, { breaking: 1, nonBreaking: 1, other: 0 });
    assert.equal(json.changes.length, 2);
    const md = run(dir, ["diff", "old.md", "new.md", "--format", "markdown"]).stdout;
    assert.match(md, /^### Spec changes: Refund Processing\n\n`old\.md` → `new\.md`: \*\*1 breaking\*\*, 1 non-breaking, 0 other\.\n\n#### API\n\n\| Impact \| Change \| Reason \|\n\| --- \| --- \| --- \|\n\| \*\*breaking\*\* \| response field POST/);
    assert.equal(run(dir, ["diff", "old.md", "new.md", "--fail-on", "breaking"]).code, 1);
    assert.equal(run(dir, ["diff", "old.md", "old.md", "--fail-on", "breaking"]).code, 0);
    assert.equal(run(dir, ["diff", "old.md", "new.md", "--fail-on", "maybe"]).code, 2);
  });

  test("one spec across git revisions: HEAD against the working file, and --from/--to", () => {
    const dir = mkdtempSync(join(tmpdir(), "techspec-diff-git-"));
    temps.push(dir);
    cpSync("examples", dir, { recursive: true });
    const env = { ...process.env, GIT_AUTHOR_NAME: "A", GIT_AUTHOR_EMAIL: "a@example.com", GIT_COMMITTER_NAME: "A", GIT_COMMITTER_EMAIL: "a@example.com", GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_AUTHOR_DATE: "2026-11-20T10:00:00Z", GIT_COMMITTER_DATE: "2026-11-20T10:00:00Z" };
    const git = (...args: string[]): string => execFileSync("git", args, { cwd: dir, env, encoding: "utf8" });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "one");
    const spec = join(dir, "specs/FEAT-0001-refund-processing/technical-specification.md");
    writeFileSync(spec, readFileSync(spec, "utf8").replace("  - 404: The refund does not exist\n\n#### API 3", "\n#### API 3"));
    let r = run(dir, ["diff", "FEAT-0001", "--fail-on", "breaking"]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /breaking {5}status GET \/api\/v1\/refunds\/\{refundId\} 404 removed/);
    git("commit", "-qam", "two");
    r = run(dir, ["diff", "FEAT-0001", "--from", "HEAD~1", "--to", "HEAD", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { summary: { breaking: number } }).summary.breaking, 1);
    r = run(dir, ["diff", "FEAT-0001", "--from", "nope"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not found at nope/);
  });

  test("--help", () => {
    const r = run(".", ["diff", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: techspec diff/);
  });
});
