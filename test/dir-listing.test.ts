// Existence from folder listings answers what stat answers: plain entries, links to something, dangling links,
// names that are not there, and paths under a file.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { DirListings } from "../src/workspace/dir-listing.js";
import { discoverSpecs } from "../src/workspace/discover.js";
import { defaultConfig } from "../src/workspace/config.js";

const dir = mkdtempSync(join(tmpdir(), "techspec-listing-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("DirListings.exists", () => {
  writeFileSync(join(dir, "PRD.md"), "# PRD\n");
  mkdirSync(join(dir, "sub"));
  symlinkSync("PRD.md", join(dir, "to-prd.md"));
  symlinkSync("gone.md", join(dir, "dangling.md"));
  symlinkSync("sub", join(dir, "to-sub"));

  test("plain files and folders exist, names that are not listed do not", () => {
    const l = new DirListings();
    assert.equal(l.exists(join(dir, "PRD.md")), true);
    assert.equal(l.exists(join(dir, "sub")), true);
    assert.equal(l.exists(join(dir, "missing.md")), false);
    assert.equal(l.exists(join(dir, "prd.md")), false, "names match exactly, as links resolve on GitHub");
    assert.equal(l.exists(join(dir, "PRD.md", "inside")), false, "a path under a file does not exist");
    assert.equal(l.exists("/"), true);
  });

  test("a symbolic link exists when its target does", () => {
    const l = new DirListings();
    assert.equal(l.exists(join(dir, "to-prd.md")), true);
    assert.equal(l.exists(join(dir, "to-sub")), true);
    assert.equal(l.exists(join(dir, "dangling.md")), false);
  });

  test("a folder listed once answers later questions as it was, a new listing sees a new file", () => {
    const l = new DirListings();
    assert.equal(l.exists(join(dir, "sub", "late.md")), false);
    writeFileSync(join(dir, "sub", "late.md"), "x");
    assert.equal(new DirListings().exists(join(dir, "sub", "late.md")), true);
  });
});

describe("discovery resolves symbolic links once per folder", () => {
  test("a spec reached through a linked folder is listed once, under its own path", () => {
    const root = join(dir, "specs");
    mkdirSync(join(root, "feat-a"), { recursive: true });
    writeFileSync(join(root, "feat-a", "technical-specification.md"), "# Technical Specification: A\n");
    symlinkSync("feat-a", join(root, "alias"));
    symlinkSync(join(root, "feat-a", "technical-specification.md"), join(root, "technical-specification.md"));
    const found = discoverSpecs([root], defaultConfig(root), root).map((t) => t.path);
    assert.deepEqual(found, [join(root, "feat-a", "technical-specification.md")]);
  });
});
