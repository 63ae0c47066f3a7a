// techspec mock and techspec verify as real processes: what they print, their exit codes, every report format,
// and the one-line errors of bad arguments.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { XMLValidator } from "fast-xml-parser";
import { assertValidSarif } from "../test-support/sarif.js";
import { startLoanService, TOKEN, type LoanService } from "../test-support/loan-service.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const FIXTURE = fileURLToPath(new URL("../../test/fixtures/contract/technical-specification.md", import.meta.url));
const SPEC = "specs/FEAT-0420-tool-loans/technical-specification.md";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, TECHSPEC_NOW: "2027-01-15" };
  for (const k of ["NO_COLOR", "FORCE_COLOR", "NODE_TEST_CONTEXT", "CI"]) delete e[k];
  return e;
}

function run(cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: env(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b));
    child.stderr.on("data", (b: Buffer) => (stderr += b));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      assert.ok(!stderr.includes("    at ") && !/internal error/i.test(stderr), `techspec ${args.join(" ")}:\n${stderr}`);
      resolve({ code, stdout, stderr });
    });
  });
}

let dir: string;
let service: LoanService;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "techspec-contract-cli-"));
  mkdirSync(path.join(dir, path.dirname(SPEC)), { recursive: true });
  copyFileSync(FIXTURE, path.join(dir, SPEC));
  service = await startLoanService("none");
});
after(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("techspec verify --base-url", () => {
  test("a conforming service: exit 0, no problems, the note about writes", async () => {
    const r = await run(dir, ["verify", SPEC, "--base-url", service.url, "--header", `Authorization: ${TOKEN}`]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /no problems/);
    assert.match(r.stdout, /note: 2 APIs that write not sent/);
  });

  test("by Feature ID, in every format; drift exits 1", async () => {
    const broken = await startLoanService("changed-type");
    try {
      const base = ["verify", "FEAT-0420", "--base-url", broken.url, "--header", `Authorization: ${TOKEN}`];
      const text = await run(dir, base);
      assert.equal(text.code, 1, text.stderr);
      const line = readFileSync(FIXTURE, "utf8").split("\n").findIndex((l) => l.includes("| dailyFeeCents |")) + 1;
      assert.match(text.stdout, new RegExp(`${line}:1 +error +GET /api/v1/tools/\\{toolId\\} response field dailyFeeCents: expected integer, got string; reproduce: curl .* +response-schema`));
      const json = await run(dir, [...base, "--format", "json"]);
      assert.equal(json.code, 1);
      const report = JSON.parse(json.stdout) as { summary: { errors: number }; diagnostics: { file: string; line: number; rule: string }[] };
      assert.deepEqual(report.diagnostics.map((d) => [d.file, d.line, d.rule]), [[SPEC, line, "response-schema"]]);
      const sarif = await run(dir, [...base, "--format", "sarif"]);
      const log = JSON.parse(sarif.stdout);
      assertValidSarif(log);
      assert.equal(log.runs[0].results[0].ruleId, "response-schema");
      assert.equal(log.runs[0].results[0].locations[0].physicalLocation.region.startLine, line);
      const junit = await run(dir, [...base, "--format", "junit"]);
      assert.equal(XMLValidator.validate(junit.stdout), true);
      assert.match(junit.stdout, /response-schema/);
      const github = await run(dir, [...base, "--format", "github"]);
      assert.match(github.stdout, new RegExp(`^::error file=${SPEC.replace(/[.]/g, "\\.")},line=${line},`, "m"));
      const out = await run(dir, [...base, "-o", "report.json", "--json"]);
      assert.equal(out.code, 1);
      assert.equal(out.stdout, "");
      assert.deepEqual(JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")).diagnostics.length, 1);
    } finally {
      await broken.close();
    }
  });

  test("a service that cannot be reached: exit 2 and one line", async () => {
    const closed = await startLoanService("none");
    await closed.close();
    const r = await run(dir, ["verify", SPEC, "--base-url", closed.url]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^techspec: http:\/\/127\.0\.0\.1:\d+: the service cannot be reached \(ECONNREFUSED.*\); start it, or check --base-url\n$/);
    const blocked = await run(dir, ["verify", SPEC, "--base-url", "http://127.0.0.1:6000"]);
    assert.equal(blocked.code, 2);
    assert.match(blocked.stderr, /a port that fetch refuses/);
  });

  test("bad arguments: one line each, exit 2", async () => {
    // A sparse file: 65 MiB long, nothing written.
    const { closeSync, ftruncateSync, openSync } = await import("node:fs");
    const fd = openSync(path.join(dir, "huge.yaml"), "w");
    ftruncateSync(fd, 65 * 1024 * 1024);
    closeSync(fd);
    const cases: [string[], RegExp][] = [
      [["verify", SPEC], /say what to verify: --base-url URL/],
      [["verify", SPEC, "--base-url", "ftp://x"], /--base-url "ftp:\/\/x" is not http or https/],
      [["verify", SPEC, "--base-url", "not a url"], /is not a URL/],
      [["verify", SPEC, "--base-url", "http://u:secret@h"], /must not hold credentials/],
      [["verify", SPEC, "--base-url", service.url, "--checks", "nope"], /--checks: unknown check "nope" for what is verified \(checks: status-documented, /],
      [["verify", SPEC, "--base-url", service.url, "--param", "novalue"], /--param "novalue" is not name=value/],
      [["verify", SPEC, "--base-url", service.url, "--header", "no colon"], /--header "no colon" is not "Name: value"/],
      [["verify", SPEC, "--base-url", service.url, "--timeout", "0"], /--timeout must be a whole number of 1 or more/],
      [["verify", SPEC, "--openapi", "missing.yaml"], /missing\.yaml: no such file/],
      [["verify", SPEC, "--openapi", "huge.yaml"], /huge\.yaml: 65 MiB is more than an OpenAPI document of 64 MiB/],
      [["verify", SPEC, "--openapi", "specs"], /specs: is a folder, not an OpenAPI document/],
      [["verify", "FEAT-9999", "--base-url", service.url], /FEAT-9999/],
      [["verify", SPEC, "--naming", "preserve", "--base-url", service.url], /--naming and --ignore-tables apply to --database-url/],
    ];
    for (const [args, message] of cases) {
      const r = await run(dir, args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(" "));
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /secret/);
    }
  });
});

describe("techspec mock", () => {
  /** Starts the mock on a free port; resolves with its URL and the child once it says it listens. */
  const startMock = (args: string[]): Promise<{ url: string; child: ChildProcess; stderr: () => string }> => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "mock", ...args, "--port", "0", "--json"], { cwd: dir, env: env(), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr.on("data", (b: Buffer) => (err += b));
    child.stdout.on("data", (b: Buffer) => {
      out += b;
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve({ url: (JSON.parse(out.slice(0, nl)) as { url: string }).url, child, stderr: () => err });
    });
    child.on("close", (code) => reject(new Error(`mock exited ${code}: ${err}`)));
  });

  test("serves the spec, logs each request with its spec line, stops on SIGTERM with exit 0", async () => {
    const { url, child, stderr } = await startMock([SPEC]);
    const res = await fetch(`${url}/api/v1/tools/5b0e8c1d-2f3a-4b6c-8d7e-9f0a1b2c3d4e`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { name: string }).name, "Cordless drill");
    const verified = await run(dir, ["verify", SPEC, "--base-url", url, "--checks", "status-documented,response-schema,content-type,not-a-server-error"]);
    assert.equal(verified.code, 0, verified.stdout);
    const code = await new Promise<number | null>((resolve) => {
      child.removeAllListeners("close");
      child.on("close", resolve);
      child.kill("SIGTERM");
    });
    assert.equal(code, 0);
    const line = readFileSync(FIXTURE, "utf8").split("\n").findIndex((l) => l.includes("#### API 2: Get Tool")) + 1;
    assert.match(stderr(), new RegExp(`GET /api/v1/tools/5b0e8c1d-2f3a-4b6c-8d7e-9f0a1b2c3d4e → 200 "Get Tool" ${SPEC.replace(/[.]/g, "\\.")}:${line} \\(\\d+ ms\\)`));
  });

  test("bad arguments and a spec without APIs: exit 2, one line", async () => {
    const noApis = path.join(dir, "specs/FEAT-0421-empty/technical-specification.md");
    mkdirSync(path.dirname(noApis), { recursive: true });
    copyFileSync(FIXTURE, noApis);
    const text = readFileSync(noApis, "utf8");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(noApis, text.slice(0, text.indexOf("### API Design")).replace("FEAT-0420", "FEAT-0421"));
    const cases: [string[], RegExp][] = [
      [["mock"], /give one spec path or Feature ID/],
      [["mock", SPEC, "--port", "70000"], /--port must be a whole number from 0 to 65535/],
      [["mock", "specs/FEAT-0421-empty/technical-specification.md"], /documents no APIs to serve/],
    ];
    for (const [args, message] of cases) {
      const r = await run(dir, args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    const { url, child } = await startMock([SPEC]);
    try {
      const busy = await run(dir, ["mock", SPEC, "--port", new URL(url).port]);
      assert.equal(busy.code, 2);
      assert.match(busy.stderr, /mock: port \d+ on 127\.0\.0\.1 is in use \(pick another with --port\)/);
    } finally {
      child.removeAllListeners("close");
      child.kill("SIGTERM");
    }
  });
});
