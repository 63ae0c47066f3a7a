// Builds the VS Code extension (editors/vscode) into a .vsix: esbuild bundles the extension with the language
// client (`vscode` is VS Code's own), and the techspec CLI as the language server the extension falls back to
// when the workspace has no techspec of its own; vsce packages the two without dependencies (everything is
// bundled), so it needs neither npm nor the marketplace. Run after `npm install`:
//   node dist/scripts/package-vscode.js [--out FILE.vsix] [--build-dir DIR]      (= npm run package:vscode)
// Writes editors/vscode/techspec-<version>.vsix (the version of the root package.json) and prints its path and size.
// --build-dir keeps the unpacked extension there (`--build-dir editors/vscode` builds it in place, for
// running it from source with code --extensionDevelopmentPath=editors/vscode); by default it is a temporary folder.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Plugin } from "esbuild";

// This file runs as dist/scripts/package-vscode.js.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const EXTENSION = join(ROOT, "editors", "vscode");
/** The files of editors/vscode that go into the package as they are (besides what is built). */
const MANIFEST_FILES = ["package.json", "README.md", "LICENSE", ".vscodeignore"];
/**
 * Dependencies with native binaries, which a bundle cannot hold: the bundled server leaves them out, so the
 * commands that load them (serve, users, tokens, SQLite in verify and mock) fail there; the extension runs `lsp`.
 */
const NATIVE = ["libsql", "@node-rs/argon2"];

/** Smaller bundles whose names stay as written, so a stack trace from a user still reads. */
const READABLE_MINIFY = { minifyWhitespace: true, minifySyntax: true } as const;

/** Where the extension's built files go, relative to the extension's folder (extension.ts looks for the server there). */
const SERVER_DIR = join("dist", "server");

export interface PackageOptions {
  /** The .vsix to write; default editors/vscode/techspec-<version>.vsix. */
  readonly out?: string;
  /** The folder the extension is assembled in; default a temporary folder, removed afterwards. */
  readonly buildDir?: string;
}

/** Builds the extension and the bundled server and packages them as a .vsix; returns its path, size and version. */
export async function packageVscode(options: PackageOptions = {}): Promise<{ vsix: string; bytes: number; version: string }> {
  const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
  const vsix = resolve(options.out ?? join(EXTENSION, `techspec-${version}.vsix`));
  const buildDir = options.buildDir === undefined ? mkdtempSync(join(tmpdir(), "techspec-vscode-")) : resolve(options.buildDir);
  try {
    mkdirSync(buildDir, { recursive: true });
    rmSync(join(buildDir, "dist"), { recursive: true, force: true });
    if (buildDir !== EXTENSION) for (const f of MANIFEST_FILES) cpSync(join(EXTENSION, f), join(buildDir, f), { dereference: true });
    await buildExtension(buildDir);
    await buildServer(join(buildDir, SERVER_DIR), version);
    mkdirSync(resolve(vsix, ".."), { recursive: true });
    const { createVSIX } = await import("@vscode/vsce");
    // updatePackageJson false: the version goes into the package only, editors/vscode/package.json stays as it is.
    // dependencies false: no `npm list` (the bundles hold every module). allowMissingRepository: no prompt.
    await createVSIX({
      cwd: buildDir, packagePath: vsix, version, updatePackageJson: false, dependencies: false,
      allowMissingRepository: true, gitHubIssueLinking: false, gitLabIssueLinking: false,
    });
    return { vsix, bytes: statSync(vsix).size, version };
  } finally {
    if (options.buildDir === undefined) rmSync(buildDir, { recursive: true, force: true });
  }
}

/** dist/extension.js: the extension and vscode-languageclient in one CommonJS file, as VS Code 1.91 loads extensions. */
async function buildExtension(buildDir: string): Promise<void> {
  const { build } = await import("esbuild");
  await build({
    absWorkingDir: ROOT,
    entryPoints: [join(EXTENSION, "src", "extension.ts")],
    outfile: join(buildDir, "dist", "extension.js"),
    bundle: true,
    format: "cjs",
    platform: "node",
    // VS Code 1.91 runs extensions on Electron 29, whose Node is 20.
    target: "node20",
    external: ["vscode"],
    ...READABLE_MINIFY,
    logLevel: "warning",
  });
}

/**
 * dist/server/: the techspec CLI bundled by esbuild, laid out as the package is (dist/src/cli/main.js beside
 * package.json, templates/, schemas/ and docs/, which the CLI finds relative to its own file), with the lint
 * worker as a file of its own next to main.js (it is started by its URL) and the commands in chunks loaded
 * when they run, as the CLI loads them.
 */
async function buildServer(serverDir: string, version: string): Promise<void> {
  const { build } = await import("esbuild");
  await build({
    absWorkingDir: ROOT,
    entryPoints: { main: join(ROOT, "src", "cli", "main.ts"), "lint-worker": join(ROOT, "src", "workspace", "lint-worker.ts") },
    outdir: join(serverDir, "dist", "src", "cli"),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // jsonc-parser's "main" is a UMD build whose require() calls esbuild cannot follow; its "module" is plain ESM.
    mainFields: ["module", "main"],
    external: NATIVE,
    // CommonJS dependencies call require() for Node's built-ins, which an ES module does not have.
    banner: { js: 'import { createRequire as __techspecCreateRequire } from "node:module";\nconst require = __techspecCreateRequire(import.meta.url);' },
    plugins: [bundledRequire()],
    ...READABLE_MINIFY,
    logLevel: "warning",
  });
  writeFileSync(join(serverDir, "package.json"), `${JSON.stringify({
    name: "techspec", version, private: true, type: "module",
    description: "The techspec CLI, bundled into the VS Code extension as its language server.", license: "MIT",
  }, null, 2)}\n`);
  for (const dir of ["templates", "schemas"]) cpSync(join(ROOT, dir), join(serverDir, dir), { recursive: true, dereference: true });
  mkdirSync(join(serverDir, "docs"), { recursive: true });
  for (const f of readdirSync(join(ROOT, "docs")).filter((name) => name.endsWith(".md"))) cpSync(join(ROOT, "docs", f), join(serverDir, "docs", f));
}

/**
 * The generated config validator loads ajv's runtime helpers through `createRequire(import.meta.url)`, a require
 * esbuild cannot see into (it would look for node_modules next to the bundle): without that line the calls are
 * plain require() calls, which esbuild bundles.
 */
function bundledRequire(): Plugin {
  const line = /^[ \t]*const require = createRequire\(import\.meta\.url\);[ \t]*$/m;
  return {
    name: "techspec-bundled-require",
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
        const text = readFileSync(args.path, "utf8");
        return line.test(text) ? { contents: text.replace(line, ""), loader: "ts" } : undefined;
      });
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: "string" }, "build-dir": { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    process.stdout.write("Usage: node dist/scripts/package-vscode.js [--out FILE.vsix] [--build-dir DIR]\n");
    return 0;
  }
  const { vsix, bytes } = await packageVscode({ ...(values.out === undefined ? {} : { out: values.out }), ...(values["build-dir"] === undefined ? {} : { buildDir: values["build-dir"] }) });
  const shown = relative(process.cwd(), vsix);
  process.stdout.write(`Packaged ${shown.startsWith("..") ? vsix : shown} (${(bytes / 1024).toFixed(0)} KiB)\n`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`package-vscode: ${(err as Error).message ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
