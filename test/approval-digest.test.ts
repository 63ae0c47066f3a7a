// The digest an approval pins: what it covers (everything but the approval lines, Status and Last Updated),
// what it leaves out, and pins too short to prove anything.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, test } from "node:test";
import { parseSpec } from "../src/parse/parse-spec.js";
import { lintSpec } from "../src/rules/lint-spec.js";
import { DEFAULT_SETTINGS } from "../src/rules/lint-spec.js";
import { contentDigest, digestMatches, MIN_PINNED_DIGITS, strongPin } from "../src/workflow/digest.js";
import { standings } from "../src/workflow/standing.js";

const base = readFileSync(resolve("examples/specs/FEAT-0003-warehouse-stock-reservation/technical-specification.md"), "utf8");
const digest = (text: string): string => contentDigest(parseSpec(text));
const original = digest(base);

/** The example with text appended at the end (inside its Approval section, which is the last one). */
const appended = (extra: string): string => `${base.trimEnd()}\n${extra}\n`;

describe("the digest covers everything an approver reads", () => {
  test("it is SHA-256 written in full", () => {
    assert.match(original, /^sha256:[0-9a-f]{64}$/);
  });

  test("text under the Approval heading that is not an approval line", () => {
    assert.notEqual(digest(appended("\nThe security review is waived for this feature.")), original);
  });

  test("a bold line under the Approval heading that is not a decision", () => {
    assert.notEqual(digest(appended("**Security Note**: the team agrees that the reservation API needs no authentication")), original);
  });

  test("a pending line whose name holds a paragraph is content, not an approval line", () => {
    assert.notEqual(digest(appended(`**Security Lead**: ${"we accept the risk of unauthenticated access ".repeat(4)}- Pending`)), original);
  });

  test("a second approval block anywhere, and its text", () => {
    const second = base.replace("## Open Questions", "## Approvals\n\nReviewed and accepted by the board.\n\n## Open Questions");
    assert.notEqual(digest(second), original);
  });

  test("a heading named Approval elsewhere and the text under it", () => {
    const elsewhere = base.replace("## Open Questions", "## Approval Process\n\nChanges ship without review.\n\n## Open Questions");
    assert.notEqual(digest(elsewhere), original);
  });

  test("the Approval heading itself", () => {
    assert.notEqual(digest(base.replace("\n## Approval\n", "\n## Approval (binding for all teams)\n")), original);
  });

  test("one word of the body", () => {
    assert.notEqual(digest(base.replace("2,350 oversold", "2,351 oversold")), original);
  });
});

describe("the digest leaves out what deciding and moving the status write", () => {
  test("the approval lines, whatever they say", () => {
    const decided = base.replace("Fatima Haddad - Pending", `Fatima Haddad - Approved 2026-11-25 (sha256:${"a".repeat(64)})`)
      .replace("Olga Petrenko - Pending", "Olga Petrenko - Rejected 2026-11-25 (sha256:" + "b".repeat(64) + "): tokens are logged");
    assert.equal(digest(decided), original);
  });

  test("an approval line added to the block, and a table of approvals", () => {
    assert.equal(digest(appended("**Product Lead**: Ada Byron - Approved 2026-11-25")), original);
    const table = base.replace(/\*\*Engineering Lead\*\*.*\n\*\*Architecture Lead\*\*.*\n\*\*Security Lead\*\*.*\n/, "| Role | Name | Decision |\n| --- | --- | --- |\n| Engineering Lead | Fatima Haddad | Pending |\n");
    const tableDecided = table.replace("| Fatima Haddad | Pending |", `| Fatima Haddad | Approved 2026-11-25 (sha256:${"c".repeat(64)}) |`);
    assert.equal(digest(tableDecided), digest(table));
  });

  test("the Status value and the Last Updated line, also when status adds it", () => {
    assert.equal(digest(base.replace("**Status**: Draft", "**Status**: Approved")), original);
    assert.equal(digest(base.replace("**Last Updated**: 2026-11-24", "**Last Updated**: 2027-01-02")), original);
    assert.equal(digest(base.replace("**Last Updated**: 2026-11-24  \n", "")), original);
  });

  test("text written after the Status value is still content", () => {
    // The value is what the parser read; a remark beside the label on the same line would otherwise be invisible.
    const spec = parseSpec(base);
    const span = spec.pos.get("metadata/status")!;
    assert.equal(base.split("\n")[span.line - 1]!.slice(span.column - 1, span.endColumn - 1), "Draft");
  });

  test("trailing white space, CRLF line endings and runs of blank lines", () => {
    assert.equal(digest(base.replace(/\n/g, "\r\n")), original);
    assert.equal(digest(base.replace("## Introduction\n", "## Introduction   \n\n\n")), original);
  });

  test("a line of 100,000 spaces between two letters is digested in linear time", () => {
    const line = (n: number): string => base.replace("## Introduction\n", `## Introduction\n\na${" ".repeat(n)}b\n`);
    const time = (text: string): number => {
      const parsed = parseSpec(text);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        contentDigest(parsed);
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[2]!;
    };
    const small = time(line(25_000));
    const big = time(line(200_000));
    // Eight times the input: linear work takes about 8× as long (plus the fixed cost of the rest of the spec),
    // quadratic work 64×. 24× leaves room for a noisy machine and still fails the quadratic case.
    assert.ok(big < Math.max(small, 1) * 24, `25,000 spaces: ${small.toFixed(2)} ms, 200,000: ${big.toFixed(2)} ms`);
  });
});

describe("pins", () => {
  test("at least 128 bits of the digest count; fewer never do", () => {
    assert.ok(strongPin(original));
    assert.ok(strongPin(original.slice(0, "sha256:".length + MIN_PINNED_DIGITS)));
    assert.ok(!strongPin(original.slice(0, "sha256:".length + MIN_PINNED_DIGITS - 1)));
    assert.ok(digestMatches(original.slice(0, "sha256:".length + 32).toUpperCase().replace("SHA256", "sha256"), original));
    assert.ok(!digestMatches(original.slice(0, "sha256:".length + 8), original), "an 8-digit pin of the right content still proves nothing");
    assert.ok(!digestMatches(original.slice(0, "sha256:".length + 6), original));
  });

  test("an approval with a short pin is an approval-format warning that says how to approve again, and does not count", () => {
    const short = original.slice(0, "sha256:".length + 8);
    const text = base.replace("**Status**: Draft", "**Status**: Approved")
      .replace("Fatima Haddad - Pending", `Fatima Haddad - Approved 2026-11-25 (${short})`)
      .replace("Stefan Novak - Pending", `Stefan Novak - Approved 2026-11-25 (${original})`)
      .replace("Olga Petrenko - Pending", `Olga Petrenko - Approved 2026-11-25 (${original})`);
    const parsed = parseSpec(text);
    const found = lintSpec(parsed);
    const format = found.filter((d) => d.rule === "approval-format");
    assert.equal(format.length, 1, JSON.stringify(format));
    assert.equal(format[0]!.severity, "warning");
    assert.match(format[0]!.message, /pins only 8 hex digits .*at least 32 \(128 bits\).*techspec approve <spec> --role "Engineering Lead"/);
    assert.ok(!found.some((d) => d.rule === "approval-stale"), "a short pin is neither fresh nor stale");
    assert.ok(found.some((d) => d.rule === "approval-consistent" && /Engineering Lead.*shorter than 128 bits/.test(d.message)), "Approved status without a valid approval");
    const st = standings(parsed, undefined, DEFAULT_SETTINGS);
    assert.deepEqual(st.map((s) => s.state), ["weak-pin", "approved", "approved"]);
  });
});
