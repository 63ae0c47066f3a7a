// Several spec roots in one repository (`workspaces` in techspec.config.json): configuration that cascades from the
// workspace to each root, `new --root`, lint over every root with each root's rules, unique Feature IDs per prefix
// across the repository, `list`, `site` and `serve` grouped by root. The CLI runs as real processes in temporary
// monorepos; the configuration is also checked through the library.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import type { Diagnostic } from "../src/model/diagnostic.js";
import { buildServer } from "../src/server/app.js";
import { openSqlite } from "../src/store/sqlite.js";
import { loadConfig, resolveConfig } from "../src/workspace/config.js";
import { discoverSpecs } from "../src/workspace/discover.js";
import { rootFor, rootNamed, specRoots } from "../src/workspace/spec-roots.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, TECHSPEC_NOW: "2027-01-15" };
    for (const k of ["NO_COLOR", "FORCE_COLOR", "NODE_TEST_CONTEXT", "CI"]) delete env[k];
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) => {
      const r = { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
      assert.ok(!r.stderr.includes("    at "), `techspec ${args.join(" ")}: stack trace:\n${r.stderr}`);
      resolve(r);
    });
  });
}

const temps: string[] = [];
after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function write(file: string, content: unknown): void {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
}

/**
 * The monorepo of the issue: the workspace's configuration lists packages/*, with prefix ORG-; packages/billing has
 * its own configuration (prefix BILL-, and `billing` for more), packages/search has none.
 */
function monorepo(billing: Record<string, unknown> = {}): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "techspec-roots-")));
  temps.push(dir);
  write(join(dir, "techspec.config.json"), { workspaces: ["packages/*"], idPrefix: "ORG-" });
  write(join(dir, "packages", "billing", "techspec.config.json"), { idPrefix: "BILL-", ...billing });
  write(join(dir, "packages", "search", "package.json"), { name: "search" });
  return dir;
}

/** A spec with this Feature ID (filled in, so that lint's other findings stay few). */
function spec(id: string, title = "Some Feature"): string {
  return `# Technical Specification: ${title}

## Overview

**Feature ID**: ${id}
**Author**: Ada Lovelace, Staff Engineer
**Created Date**: 2027-01-10
**Last Updated**: 2027-01-10
**Status**: Draft

## Introduction

What ${title} does.
`;
}

function lintJson(r: Run): { diagnostics: Diagnostic[] } {
  return JSON.parse(r.stdout) as { diagnostics: Diagnostic[] };
}

/** A spec that lint reports once (its unfilled Open Questions), so that the report names it. */
function marked(id: string): string {
  return `${spec(id)}\n## Open Questions\n\n- [Question 1]\n`;
}

/** The files a lint report names (each spec written with `marked` has a no-placeholder finding). */
function linted(r: Run): string[] {
  return [...new Set(lintJson(r).diagnostics.filter((d) => d.rule === "no-placeholder").map((d) => d.file))].sort();
}

const created = (r: Run): string => /^Created (\S+) in (\S+)\//.exec(r.stdout)?.slice(1).join(" ") ?? `(no "Created" line) ${r.stdout}${r.stderr}`;

describe("techspec new with several spec roots", () => {
  test("--root allocates from that root's prefix and creates the spec under its specsDir; inside a package, that root is the default", async () => {
    const dir = monorepo();
    const bill = await run(dir, ["new", "Invoices", "--root", "packages/billing"]);
    assert.equal(bill.code, 0, bill.stderr);
    assert.equal(created(bill), "BILL-0001 packages/billing/specs/BILL-0001-invoices");
    assert.ok(existsSync(join(dir, "packages/billing/specs/BILL-0001-invoices/technical-specification.md")));
    assert.match(readFileSync(join(dir, "packages/billing/specs/BILL-0001-invoices/technical-specification.md"), "utf8"), /BILL-0001/);

    // A root without a configuration of its own takes the workspace's prefix: one namespace with the top folder.
    const search = await run(dir, ["new", "Ranking", "--root", "packages/search"]);
    assert.equal(created(search), "ORG-0001 packages/search/specs/ORG-0001-ranking");
    const top = await run(dir, ["new", "Platform"]);
    assert.equal(created(top), "ORG-0002 specs/ORG-0002-platform");

    // Run inside a package (or below it): that package's root, by its configuration or by the workspace's list.
    const inside = await run(join(dir, "packages/billing"), ["new", "Refunds"]);
    assert.equal(created(inside), "BILL-0002 specs/BILL-0002-refunds");
    assert.ok(existsSync(join(dir, "packages/billing/specs/BILL-0002-refunds/technical-specification.md")));
    mkdirSync(join(dir, "packages/search/src"), { recursive: true });
    const deeper = await run(join(dir, "packages/search/src"), ["new", "Facets"]);
    assert.equal(created(deeper), "ORG-0003 ../specs/ORG-0003-facets");

    // A root by its name, from another folder, and in JSON.
    const json = await run(join(dir, "packages/search"), ["new", "Dunning", "--root", "packages/billing", "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout) as { id: string; root: string; folder: string };
    assert.deepEqual([out.id, out.root, out.folder], ["BILL-0003", "packages/billing", "../billing/specs/BILL-0003-dunning"]);
  });

  test("an unknown --root is a usage error naming the roots; --root without workspaces too", async () => {
    const dir = monorepo();
    const r = await run(dir, ["new", "X", "--root", "packages/nope"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /unknown --root "packages\/nope" \(the spec roots: \., packages\/billing, packages\/search\)/);

    const plain = realpathSync(mkdtempSync(join(tmpdir(), "techspec-roots-")));
    temps.push(plain);
    write(join(plain, "techspec.config.json"), { idPrefix: "ORG-" });
    const none = await run(plain, ["new", "X", "--root", "a"]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--root "a" needs "workspaces"/);
  });

  test("--id follows the chosen root's pattern and is unique across the repository", async () => {
    const dir = monorepo();
    write(join(dir, "packages/search/specs/ORG-0007-x/technical-specification.md"), spec("ORG-0007"));
    const wrong = await run(dir, ["new", "X", "--root", "packages/billing", "--id", "ORG-0009"]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /does not match the Feature ID pattern \^BILL-\\d\+\$ of the spec root packages\/billing/);
    const taken = await run(dir, ["new", "X", "--id", "ORG-0007"]);
    assert.equal(taken.code, 2);
    assert.match(taken.stderr, /ORG-0007 is already used by packages\/search\/specs\/ORG-0007-x\/technical-specification\.md/);
  });

  test("allocation counts the root's prefix on every git branch, in every root", async () => {
    const dir = monorepo();
    const git = (...args: string[]): string => execFileSync("git", ["-c", "user.name=T", "-c", "user.email=t@example.com", ...args], { cwd: dir, encoding: "utf8" });
    git("init", "-q", "-b", "main");
    write(join(dir, "packages/billing/specs/BILL-0001-a/technical-specification.md"), spec("BILL-0001"));
    git("add", ".");
    git("commit", "-q", "-m", "one");
    git("checkout", "-q", "-b", "other");
    // On another branch: BILL-0004 under billing, BILL-0006 in a folder name, and ORG-0009 in search.
    write(join(dir, "packages/billing/specs/BILL-0004-b/technical-specification.md"), spec("BILL-0004"));
    write(join(dir, "packages/billing/specs/BILL-0006-c/technical-specification.md"), spec("TBD"));
    write(join(dir, "packages/search/specs/ORG-0009-d/technical-specification.md"), spec("ORG-0009"));
    git("add", ".");
    git("commit", "-q", "-m", "two");
    git("checkout", "-q", "main");
    const bill = await run(dir, ["new", "Next", "--root", "packages/billing"]);
    assert.equal(created(bill), "BILL-0007 packages/billing/specs/BILL-0007-next");
    const org = await run(dir, ["new", "Next", "--root", "packages/search"]);
    assert.equal(created(org), "ORG-0010 packages/search/specs/ORG-0010-next");
  });
});

describe("lint over several spec roots", () => {
  /** The monorepo with specs in each root: BILL-0001 in billing, ORG-0001 in search. */
  function filled(billing: Record<string, unknown> = {}): string {
    const dir = monorepo(billing);
    write(join(dir, "packages/billing/specs/BILL-0001-invoices/technical-specification.md"), marked("BILL-0001"));
    write(join(dir, "packages/search/specs/ORG-0001-ranking/technical-specification.md"), marked("ORG-0001"));
    return dir;
  }
  const unique = (ds: readonly Diagnostic[]): string[] => ds.filter((d) => d.rule === "unique-feature-id").map((d) => d.file).sort();

  test("with no paths, every root's specs are linted, from the top or from inside a package", async () => {
    const dir = filled();
    write(join(dir, "specs/ORG-0002-top/technical-specification.md"), marked("ORG-0002"));
    const expected = [
      "packages/billing/specs/BILL-0001-invoices/technical-specification.md",
      "packages/search/specs/ORG-0001-ranking/technical-specification.md",
      "specs/ORG-0002-top/technical-specification.md",
    ];
    const top = await run(dir, ["lint", "--json"]);
    assert.deepEqual(linted(top), expected);
    const inside = await run(join(dir, "packages/billing"), ["lint", "--json"]);
    assert.deepEqual(linted(inside), ["../../specs/ORG-0002-top/technical-specification.md", "../search/specs/ORG-0001-ranking/technical-specification.md", "specs/BILL-0001-invoices/technical-specification.md"]);
    // A folder of one package: that package's specs.
    const one = await run(dir, ["lint", "--json", "packages/search"]);
    assert.deepEqual(linted(one), ["packages/search/specs/ORG-0001-ranking/technical-specification.md"]);
    assert.deepEqual(unique(lintJson(top).diagnostics), [], "BILL-0001 and ORG-0001 never collide");
  });

  test("the same prefix and number in two roots collide; different prefixes never do", async () => {
    const dir = filled();
    // BILL-0001 again, in search (whose prefix is ORG-): it is still the billing number, taken twice.
    write(join(dir, "packages/search/specs/BILL-0001-copy/technical-specification.md"), spec("BILL-0001"));
    let r = await run(dir, ["lint", "--json"]);
    assert.equal(r.code, 1);
    assert.deepEqual(unique(lintJson(r).diagnostics), [
      "packages/billing/specs/BILL-0001-invoices/technical-specification.md",
      "packages/search/specs/BILL-0001-copy/technical-specification.md",
    ]);
    rmSync(join(dir, "packages/search/specs/BILL-0001-copy"), { recursive: true });

    // ORG-0001 in search and ORG-0001 in the workspace's own folder share the ORG- namespace.
    write(join(dir, "specs/ORG-0001-top/technical-specification.md"), spec("ORG-0001"));
    r = await run(dir, ["lint", "--json"]);
    const found = lintJson(r).diagnostics.filter((d) => d.rule === "unique-feature-id");
    assert.deepEqual(found.map((d) => d.file).sort(), ["packages/search/specs/ORG-0001-ranking/technical-specification.md", "specs/ORG-0001-top/technical-specification.md"]);
    assert.match(found[0]!.message, /Feature ID ORG-0001 is also used by /);
  });

  test("a package's rules apply to its specs only, and its unique-feature-id severity to its own findings", async () => {
    const dir = filled({ rules: { "no-placeholder": "off", "unique-feature-id": "warn" }, overrides: [{ status: ["Draft"], rules: { metadata: "off" } }] });
    for (const f of ["packages/billing/specs/BILL-0001-invoices/technical-specification.md", "packages/search/specs/ORG-0001-ranking/technical-specification.md"]) {
      writeFileSync(join(dir, f), readFileSync(join(dir, f), "utf8").replace("**Author**: Ada Lovelace, Staff Engineer\n", ""));
    }
    write(join(dir, "packages/search/specs/BILL-0001-copy/technical-specification.md"), spec("BILL-0001"));
    const r = await run(dir, ["lint", "--json"]);
    const by = (rule: string): string[] => [...new Set(lintJson(r).diagnostics.filter((d) => d.rule === rule).map((d) => `${d.file.split("/")[1]} ${d.severity}`))].sort();
    assert.deepEqual(by("no-placeholder").map((x) => x.split(" ")[0]), ["search"]);
    assert.deepEqual(by("metadata").map((x) => x.split(" ")[0]), ["search"], "the package's overrides are added to the workspace's");
    assert.deepEqual(by("unique-feature-id"), ["billing warning", "search error"]);
  });

  test("a workspace's ignore applies in every root; a root's own ignore and specs globs are read from its folder", async () => {
    const dir = filled({ specs: ["docs/**/*.md"], ignore: ["docs/old/**"] });
    writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({ workspaces: ["packages/*"], idPrefix: "ORG-", ignore: ["packages/search/specs/ORG-0001-ranking/**"] }));
    write(join(dir, "packages/billing/docs/BILL-0002-a/spec.md"), marked("BILL-0002"));
    write(join(dir, "packages/billing/docs/old/BILL-0003-b/spec.md"), marked("BILL-0003"));
    write(join(dir, "packages/search/specs/ORG-0004-c/technical-specification.md"), marked("ORG-0004"));
    const r = await run(dir, ["lint", "--json"]);
    // BILL-0001 is not under billing's docs/, so it is not a spec of billing (whose folder it is in) though the workspace's glob matches it.
    assert.deepEqual(linted(r), ["packages/billing/docs/BILL-0002-a/spec.md", "packages/search/specs/ORG-0004-c/technical-specification.md"]);
  });
});

describe("list, site and serve group by spec root", () => {
  function filled(): string {
    const dir = monorepo();
    write(join(dir, "packages/billing/specs/BILL-0001-invoices/technical-specification.md"), spec("BILL-0001", "Invoices"));
    write(join(dir, "packages/billing/specs/BILL-0002-refunds/technical-specification.md"), spec("BILL-0002", "Refunds"));
    write(join(dir, "packages/search/specs/ORG-0001-ranking/technical-specification.md"), spec("ORG-0001", "Ranking"));
    write(join(dir, "specs/ORG-0002-platform/technical-specification.md"), spec("ORG-0002", "Platform"));
    return dir;
  }

  test("list: a header line per root, rows under it; --json has each row's root", async () => {
    const dir = filled();
    const r = await run(dir, ["list"]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    const headers = lines.filter((l) => /^\S+ \(\d+ specs?\)$/.test(l));
    assert.deepEqual(headers, [". (1 spec)", "packages/billing (2 specs)", "packages/search (1 spec)"]);
    const ids = lines.map((l) => /^(ORG|BILL)-\d+/.exec(l)?.[0]).filter(Boolean);
    assert.deepEqual(ids, ["ORG-0002", "BILL-0001", "BILL-0002", "ORG-0001"]);
    assert.ok(lines.indexOf("packages/billing (2 specs)") < lines.findIndex((l) => l.startsWith("BILL-0001")));

    const json = JSON.parse((await run(dir, ["list", "--json"])).stdout) as { id: string; root: string }[];
    assert.deepEqual(json.map((x) => [x.id, x.root]), [["ORG-0002", "."], ["BILL-0001", "packages/billing"], ["BILL-0002", "packages/billing"], ["ORG-0001", "packages/search"]]);
    // A root's "name" replaces its folder.
    write(join(dir, "packages/billing/techspec.config.json"), { idPrefix: "BILL-", name: "billing" });
    const named = JSON.parse((await run(dir, ["list", "--json", "--status", "Draft"])).stdout) as { root: string }[];
    assert.deepEqual([...new Set(named.map((x) => x.root))], [".", "billing", "packages/search"]);
  });

  test("site: a row group per root on the index, with a root filter, and the root on each spec page", async () => {
    const dir = filled();
    const out = join(dir, "..", `${dir.split("/").pop()}-site`);
    temps.push(out);
    const r = await run(dir, ["site", "--out", out]);
    assert.equal(r.code, 0, r.stderr);
    const index = readFileSync(join(out, "index.html"), "utf8");
    const groups = [...index.matchAll(/<tbody class="root" data-root="([^"]+)">\n<tr class="root-head"><th colspan="9" scope="rowgroup">([^<]+) <span class="count">(\d+) specs?<\/span>/g)].map((m) => `${m[1]} ${m[3]}`);
    assert.deepEqual(groups, [". 1", "packages/billing 2", "packages/search 1"]);
    assert.match(index, /<select id="root" name="root"><option value="">All<\/option><option>\.<\/option><option>packages\/billing<\/option><option>packages\/search<\/option><\/select>/);
    // Each group holds its own rows.
    const billing = index.slice(index.indexOf('data-root="packages/billing">'), index.indexOf('data-root="packages/search">'));
    assert.deepEqual([...billing.matchAll(/<td class="id">([^<]+)<\/td>/g)].map((m) => m[1]), ["BILL-0001", "BILL-0002"]);
    const page = readdirSync(join(out, "specs")).find((f) => f.startsWith("BILL-0001") && f.endsWith(".html"))!;
    assert.match(readFileSync(join(out, "specs", page), "utf8"), /<span class="root">in packages\/billing<\/span>/);
  });

  test("serve: /api/specs names each spec's root, and the index page groups and filters by root", async () => {
    const dir = filled();
    const store = await openSqlite(":memory:");
    const server = await buildServer({ config: await resolveConfig(dir), store, now: () => new Date("2027-01-15T10:00:00Z"), pollMs: 0, watch: false, publicRead: true });
    try {
      const list = (await server.app.inject({ url: "/api/specs" })).json() as { specs: { id: string; root: string }[] };
      assert.deepEqual(list.specs.map((s) => `${s.id} ${s.root}`).sort(), ["BILL-0001 packages/billing", "BILL-0002 packages/billing", "ORG-0001 packages/search", "ORG-0002 ."]);
      const page = (await server.app.inject({ url: "/" })).body;
      assert.match(page, /<label>Root <select name="root"><option value="">any<\/option><option>packages\/billing<\/option><option>packages\/search<\/option><option>\.<\/option><\/select><\/label>/);
      assert.match(page, /<tr [^>]*data-root="packages\/billing">\n<td class="root">packages\/billing<\/td>/);
    } finally {
      await server.close();
      await store.close();
    }
  });

  test("without workspaces nothing changes: no root in list --json, no groups on the site", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "techspec-roots-")));
    temps.push(dir);
    write(join(dir, "techspec.config.json"), { idPrefix: "ORG-" });
    write(join(dir, "specs/ORG-0001-a/technical-specification.md"), spec("ORG-0001"));
    const json = JSON.parse((await run(dir, ["list", "--json"])).stdout) as Record<string, unknown>[];
    assert.equal("root" in json[0]!, false);
    const text = (await run(dir, ["list"])).stdout;
    assert.match(text, /^ID +TITLE/);
    const out = `${dir}-site`;
    temps.push(out);
    assert.equal((await run(dir, ["site", "--out", out])).code, 0);
    const index = readFileSync(join(out, "index.html"), "utf8");
    assert.doesNotMatch(index, /data-root|id="root"/);
  });
});

describe("configuration of spec roots", () => {
  test("bad configurations are one line with the file, exit 2", async () => {
    const dir = monorepo();
    writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({ workspaces: "packages/*" }));
    let r = await run(dir, ["list"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`${join(dir, "techspec.config.json").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: "workspaces" must be array`));
    writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({ workspaces: ["packages/*", ""] }));
    r = await run(dir, ["list"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"workspaces\.1" must NOT have fewer than 1 characters/);

    // A package that lists workspaces of its own: refused wherever the command runs.
    writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({ workspaces: ["packages/*"], idPrefix: "ORG-" }));
    write(join(dir, "packages/billing/techspec.config.json"), { idPrefix: "BILL-", workspaces: ["sub/*"] });
    for (const cwd of [dir, join(dir, "packages/billing")]) {
      r = await run(cwd, ["list"]);
      assert.equal(r.code, 2);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.ok(r.stderr.includes(`${join(dir, "packages/billing/techspec.config.json")}: "workspaces" cannot be set here: it is a spec root of the workspace of ${join(dir, "techspec.config.json")}, and workspaces do not nest`), r.stderr);
    }
  });

  test("a package's configuration extends the workspace's: only what it sets differs", async () => {
    const dir = monorepo({ idDigits: 3, specs: ["docs/**/*.md"], rules: { "no-placeholder": "off" }, approvalRoles: ["Billing Lead"], requiredApprovals: [{ role: "Finance", when: { paths: ["docs/money"] } }] });
    writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({
      workspaces: ["packages/*"], idPrefix: "ORG-", specsDir: "rfcs", rules: { "no-placeholder": "warn", metadata: "warn" }, overrides: [{ status: ["Draft"], rules: { metadata: "off" } }],
    }));
    const top = await resolveConfig(dir);
    assert.equal(top.name, ".");
    assert.deepEqual(specRoots(top).map((r) => [r.name, r.idPrefix, r.file !== null]), [[".", "ORG-", true], ["packages/billing", "BILL-", true], ["packages/search", "ORG-", false]]);
    const billing = rootNamed(top, "packages/billing", dir)!;
    assert.equal(billing.root, join(dir, "packages/billing"));
    assert.deepEqual([billing.idDigits, billing.specsDir, billing.settings.featureIdPattern], [3, "rfcs", "^BILL-\\d+$"]);
    assert.deepEqual(billing.specs, ["docs/**/*.md"]);
    assert.deepEqual(Object.fromEntries(Object.entries(billing.rules).map(([k, v]) => [k, v.severity])), { "no-placeholder": "off", metadata: "warning" });
    assert.equal(billing.overrides.length, 1);
    assert.deepEqual(billing.settings.approvalRoles, ["Billing Lead"]);
    assert.deepEqual(billing.settings.requiredApprovals, [{ role: "Finance", when: { paths: ["packages/billing/docs/money"] } }]);
    const search = rootNamed(top, "packages/search", dir)!;
    assert.deepEqual([search.idPrefix, search.specsDir, search.root, search.settings.featureIdPattern], ["ORG-", "rfcs", join(dir, "packages/search"), top.settings.featureIdPattern]);

    // From inside a package, the workspace is found through its list; the root of a path is the nearest one.
    const inside = await resolveConfig(join(dir, "packages/billing"));
    assert.equal(inside.file, join(dir, "techspec.config.json"));
    assert.equal(rootFor(inside, join(dir, "packages/billing/docs/x.md")).name, "packages/billing");
    assert.equal(rootFor(inside, join(dir, "packages/billingx/a.md")).name, ".");
    assert.equal((await resolveConfig(join(dir, "packages/search"), "../billing/techspec.config.json")).file, join(dir, "techspec.config.json"));
    // Loaded on its own, the package's file is a configuration like any other.
    const alone = await loadConfig(join(dir, "packages/billing/techspec.config.json"));
    assert.equal(alone.roots, undefined);
    assert.equal(alone.name, undefined);
  });

  test("negated globs leave folders out; a glob that matches nothing adds no root; two roots may not share a name", async () => {
    const dir = monorepo();
    mkdirSync(join(dir, "packages/legacy"));
    writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({ workspaces: ["packages/*", "!packages/legacy", "services/*"] }));
    const config = await resolveConfig(dir);
    assert.deepEqual(specRoots(config).map((r) => r.name), [".", "packages/billing", "packages/search"]);
    assert.equal(rootNamed(config, "./packages/search/", dir)?.name, "packages/search");
    assert.equal(rootNamed(config, "search", join(dir, "packages"))?.name, "packages/search");
    assert.equal(rootNamed(config, "services/x", dir), null);
    // Without specs anywhere, discovery says which roots it looked in.
    assert.throws(() => discoverSpecs([], config, dir), /no specs found: nothing matches the "specs" globs of the spec roots \., packages\/billing, packages\/search/);

    write(join(dir, "packages/billing/techspec.config.json"), { name: "packages/search" });
    await assert.rejects(resolveConfig(dir), /the spec roots packages\/billing and packages\/search are both named "packages\/search"/);
  });

  test("with signatures in the workspace, a package may not set roles or signatures, nor turn approval-provenance down", async () => {
    const dir = monorepo();
    write(join(dir, ".techspec/allowed_signers"), "ann@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA\n");
    writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({ workspaces: ["packages/*"], signatures: { required: true, allowedSigners: ".techspec/allowed_signers" } }));
    write(join(dir, "packages/billing/techspec.config.json"), { roles: { "Engineering Lead": ["Ann <ann@example.com>"] } });
    await assert.rejects(resolveConfig(dir), /packages\/billing\/techspec\.config\.json: "roles" cannot be set here while .* sets "signatures"/);
    write(join(dir, "packages/billing/techspec.config.json"), { rules: { "approval-provenance": "warn" } });
    await assert.rejects(resolveConfig(dir), /"approval-provenance" must stay "error"/);
    write(join(dir, "packages/billing/techspec.config.json"), { signatures: { required: false, allowedSigners: "x" } });
    await assert.rejects(resolveConfig(dir), /"signatures" cannot be set here/);
    write(join(dir, "packages/billing/techspec.config.json"), { idPrefix: "BILL-" });
    const ok = await resolveConfig(dir);
    assert.equal(rootNamed(ok, "packages/billing", dir)!.settings.signatures?.required, true, "the workspace's signatures apply to every root");
  });
});
