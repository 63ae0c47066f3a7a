// The package as npm publishes it: every module the code loads at run time is a production dependency
// or a Node built-in, and every file it reads is in the tarball. (scripts/smoke-pack.ts installs the
// real tarball with production dependencies only and runs every command; this is the cheap guard.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { TEMPLATE_FILES } from "../src/workspace/package-files.js";

// This file runs as dist/test/package.test.js.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; files: string[] };

/** Every compiled module of the library and CLI, as [path relative to the package root, text]. */
function modules(): [string, string][] {
  const out: [string, string][] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".js")) out.push([relative(ROOT, p).split(sep).join("/"), readFileSync(p, "utf8")]);
    }
  };
  walk(join(ROOT, "dist", "src"));
  return out;
}

/** The module specifiers a compiled file loads: static and dynamic imports, re-exports, require and require.resolve. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/^[ \t]*(?:import|export)\b(?:[^"';]*?\bfrom)?\s*"([^"]+)"\s*;/gm)) found.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) found.push(m[1]!);
  for (const m of text.matchAll(/\brequire(?:\.resolve)?\(\s*"([^"]+)"\s*\)/g)) found.push(m[1]!);
  for (const m of text.matchAll(/\bnew URL\(\s*"([^"]+)"\s*,\s*import\.meta\.url\s*\)/g)) found.push(m[1]!);
  return found;
}

/** "mermaid/dist/mermaid.min.js" → "mermaid", "@scope/name/x" → "@scope/name". */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** The files `npm pack` puts in the tarball, relative to the package root. */
function packedFiles(): Set<string> {
  // --ignore-scripts: the suite has just built dist/; prepare would build it again.
  const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", shell: process.platform === "win32" });
  assert.equal(r.status, 0, r.stderr);
  const [pack] = JSON.parse(r.stdout) as [{ files: { path: string }[] }];
  return new Set(pack.files.map((f) => f.path));
}

test("every import in dist/src is a production dependency or a node: built-in, and every dependency is used", () => {
  const deps = new Set(Object.keys(PKG.dependencies ?? {}));
  const used = new Set<string>();
  const wrong: string[] = [];
  for (const [file, text] of modules()) {
    // A computed specifier could not be checked here: the code loads only literal ones.
    for (const m of text.matchAll(/\bimport\(\s*([^"\s)])|\brequire(?:\.resolve)?\(\s*([^"\s)])/g)) wrong.push(`${file}: a computed module specifier (${m[0]})`);
    for (const s of specifiers(text)) {
      if (s.startsWith(".") || s.startsWith("/")) continue;
      if (s.startsWith("node:")) {
        if (!isBuiltin(s)) wrong.push(`${file}: "${s}" is not a Node built-in`);
        continue;
      }
      if (isBuiltin(s)) {
        wrong.push(`${file}: "${s}" is a built-in without the node: prefix`);
        continue;
      }
      const name = packageName(s);
      used.add(name);
      if (!deps.has(name)) wrong.push(`${file}: "${s}" is ${PKG.devDependencies?.[name] ? "only a devDependency" : "not a dependency"} of package.json (add it to "dependencies")`);
    }
  }
  assert.deepEqual(wrong, []);
  // A dependency listed only to pin what another dependency needs (package.json "dependencyPins", with the reason)
  // counts as used when a production dependency does depend on it.
  const pins = (PKG as { dependencyPins?: Record<string, string> }).dependencyPins ?? {};
  const needs = (name: string): boolean => [...deps].some((d) => {
    const meta = JSON.parse(readFileSync(join("node_modules", d, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    return name in (meta.dependencies ?? {});
  });
  for (const [name, why] of Object.entries(pins)) {
    assert.ok(deps.has(name), `${name} is in dependencyPins but not in dependencies`);
    assert.ok(why.length > 20, `${name}: dependencyPins says why`);
    assert.ok(needs(name), `${name} is pinned, but no production dependency depends on it: remove it`);
  }
  assert.deepEqual([...deps].filter((d) => !used.has(d) && !(d in pins)), [], "dependencies nothing in dist/src loads (move them to devDependencies)");
  // The scan sees what it must: the lazily loaded config validator and the site's browser bundles.
  for (const name of ["ajv", "mermaid", "minisearch", "yaml"]) assert.ok(used.has(name), `${name} found by the scan`);
});

test("the tarball holds every module, the files they load relatively, and the assets read at run time", () => {
  const packed = packedFiles();
  const missing: string[] = [];
  for (const [file, text] of modules()) {
    if (!packed.has(file)) missing.push(file);
    for (const s of specifiers(text).filter((x) => x.startsWith("."))) {
      const target = relative(ROOT, resolve(ROOT, dirname(file), s)).split(sep).join("/");
      if (!existsSync(join(ROOT, target))) missing.push(`${target} (loaded by ${file}; it does not exist)`);
      else if (!packed.has(target)) missing.push(`${target} (loaded by ${file})`);
    }
  }
  // Read through packageRoot() (workspace/package-files.ts, site/build-site.ts) rather than imported.
  const assets = ["package.json", "schemas/techspec.config.schema.json", "browser/site.css", "dist/browser/site.js", ...TEMPLATE_FILES.map((f) => `templates/${f}`)];
  for (const a of assets) if (!packed.has(a)) missing.push(`${a} (an asset read at run time)`);
  assert.deepEqual(missing, []);
  // Nothing of the tests or the sources leaks into the package.
  assert.deepEqual([...packed].filter((p) => /^(?:test|test-support|bench|scripts|src)\/|^dist\/(?:test|test-support|bench|scripts)\//.test(p)), []);
});
