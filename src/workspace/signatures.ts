// Signed approvals: what git says of a commit's signature, and the chain of trust of the configuration's roles
// and of the allowed signers file, replayed commit by commit from the first commit that set the signers.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { CommitSignature, RefusedChange, SignatureSettings, TrustFacts } from "../rules/rule.js";
import { git, gitWithStderr } from "./git-run.js";
import { posixRelative } from "./paths.js";

/**
 * `git log --format` of a commit's signature: hash, %G?, signer (%GS), key fingerprint (%GF), author, e-mail, date,
 * and the key id (%GK), which is all GPG says of a key that is not in the keyring.
 */
const SIGNATURE_FORMAT = "%H%x1f%G?%x1f%GS%x1f%GF%x1f%an%x1f%ae%x1f%as%x1f%GK%x1f%(trailers:key=Techspec-Account,valueonly,separator=%x2C)%x1e";

const STATUS: Record<string, CommitSignature["status"]> = {
  G: "good", B: "bad", U: "unknown-key", X: "expired-signature", Y: "expired-key", R: "revoked-key", E: "unknown-key", N: "unsigned",
};

/** The e-mail address in a principal ("jane@example.com") or a GPG user id ("Jane Doe <jane@example.com>"). */
export function signerEmail(signer: string): string | null {
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(signer) ?? /^([^<>\s,]+@[^<>\s,]+)$/.exec(signer.trim());
  return m ? m[1]!.toLowerCase() : null;
}

/** The principals an allowed signers file lists (the first field of each line, comma-separated), lower-cased. */
export function principalsOf(signers: string): Set<string> {
  const out = new Set<string>();
  for (const raw of signers.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const first = /^(?:"([^"]*)"|(\S+))/.exec(line);
    for (const p of (first?.[1] ?? first?.[2] ?? "").split(",")) if (p) out.add(p.toLowerCase());
  }
  return out;
}

/**
 * Verifies commits' signatures with git (`%G?`, `%GS`, `%GF`): SSH signatures against the allowed signers given
 * (a file, or text written to a private temporary file for the one call), GPG signatures against the keyring.
 * Returns null when git could not be asked.
 */
export function verifyCommits(root: string, commits: readonly string[], signers: { readonly file: string } | { readonly text: string }): Map<string, CommitSignature> | null {
  const out = new Map<string, CommitSignature>();
  if (commits.length === 0) return out;
  let dir: string | null = null;
  try {
    let file: string;
    if ("file" in signers) file = signers.file;
    else {
      dir = mkdtempSync(join(tmpdir(), "techspec-signers-"));
      file = join(dir, "allowed_signers");
      writeFileSync(file, signers.text, { mode: 0o600 });
    }
    const run = gitWithStderr(root, ["-c", `gpg.ssh.allowedSignersFile=${file}`, "log", "--no-walk=unsorted", "--stdin", `--format=${SIGNATURE_FORMAT}`], { input: `${commits.join("\n")}\n` });
    if (run === null) return null;
    // git reports a signature it could not check because ssh-keygen or gpg did not run as bad (SSH) or absent (GPG),
    // and says why only on stderr: such a signature is unchecked, not forged or missing.
    const cannotRun = /cannot run ([^\s:]+)/.exec(run.stderr)?.[1];
    const problem = cannotRun ? `git could not run ${cannotRun} (install ${cannotRun === "gpg" ? "GnuPG" : cannotRun === "ssh-keygen" ? "OpenSSH's ssh-keygen" : cannotRun} where techspec runs)` : null;
    for (const record of run.stdout.split("\x1e")) {
      const r = record.replace(/^\n/, "");
      if (r === "") continue;
      const [commit, g, signer, fpr, name, email, date, keyId, trailer] = r.split("\x1f") as [string, string, string, string, string, string, string, string, string | undefined];
      // One account, or none: a commit that names two (or an address that is not one) vouches for nobody.
      const account = trailer && /^[^\s,<>@]+@[^\s,<>@]+$/.test(trailer.trim()) ? trailer.trim().toLowerCase() : null;
      const status = problem && g !== "G" ? "unchecked" : STATUS[g] ?? "unknown-key";
      out.set(commit, { commit, status, ...(problem && status === "unchecked" ? { problem } : {}), signer: status === "good" ? signer : "", signerEmail: status === "good" ? signerEmail(signer) : null, key: fpr || keyId, account, author: { commit, name, email: email.toLowerCase(), date } });
    }
    return out;
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** The part of a configuration that trust covers: who holds which role, and the signatures settings. */
interface TrustedState {
  readonly roles: Readonly<Record<string, readonly string[]>>;
  /** Canonical JSON of `roles` and `signatures`, to compare states. */
  readonly key: string;
  readonly signers: string | null;
  /** The review servers' principals (`signatures.servers`), lower-cased. */
  readonly servers: readonly string[];
}

/** What a configuration's text says of `roles` and `signatures`; an unreadable configuration says nothing. */
function readConfig(configText: string | null): { roles: Record<string, string[]>; signatures: unknown; rest: unknown } {
  let roles: Record<string, string[]> = {};
  let signatures: unknown = null;
  let rest: unknown = null;
  if (configText !== null) {
    try {
      const raw = JSON.parse(configText.charCodeAt(0) === 0xfeff ? configText.slice(1) : configText) as { roles?: unknown; signatures?: unknown };
      if (raw && typeof raw === "object" && raw.roles && typeof raw.roles === "object" && !Array.isArray(raw.roles)) roles = raw.roles as Record<string, string[]>;
      signatures = raw?.signatures ?? null;
      // Everything else counts too: turning a rule off, dropping a required role or ignoring a spec weakens
      // the checks as surely as a new role holder does.
      rest = raw && typeof raw === "object" ? canonical(Object.fromEntries(Object.entries(raw).filter(([k]) => k !== "roles" && k !== "signatures"))) : raw;
    } catch {
      // An unreadable configuration at some commit holds no roles.
      rest = configText;
    }
  }
  return { roles, signatures, rest };
}

/** A JSON value with object keys sorted, so that two configurations compare by content, not layout. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v;
}

/** The allowed signers file a configuration's text names (absolute, relative to the configuration's folder), or null. */
function signersNamed(configText: string | null, configFile: string): string | null {
  const s = readConfig(configText).signatures as { allowedSigners?: unknown } | null;
  return s && typeof s === "object" && typeof s.allowedSigners === "string" && s.allowedSigners !== "" ? resolve(dirname(configFile), s.allowedSigners) : null;
}

function stateOf(configText: string | null, signers: string | null): TrustedState {
  const { roles, signatures, rest } = readConfig(configText);
  const sorted = Object.fromEntries(Object.keys(roles).sort().map((k) => [k, [...(roles[k] ?? [])].map(String).sort()]));
  const listed = (signatures as { servers?: unknown } | null)?.servers;
  const servers = Array.isArray(listed) ? listed.filter((x): x is string => typeof x === "string").map((x) => x.toLowerCase()).sort() : [];
  return { roles: sorted, key: JSON.stringify([sorted, canonical(signatures), rest]), signers: signers === null ? null : signers.replace(/\r\n/g, "\n").trimEnd(), servers };
}

const inside = (rel: string): boolean => rel !== "" && !rel.startsWith("../") && !rel.startsWith("/") && rel !== "..";

/**
 * The chain of trust of `roles` (and `signatures`) in the configuration and of the allowed signers file, in the
 * repository at `root`. The first commit that sets the allowed signers is the anchor: it must be signed by a key it
 * lists. From then on every commit that changes roles, the signatures settings or the signers must carry a good
 * signature by a principal of the signers trusted before it; a change that does not is refused, and the state
 * stays as the last trusted change left it. Uncommitted changes are refused too. A file outside the repository
 * (say, an allowed signers file the CI provides) is trusted as it is.
 */
export function trustChain(root: string, sig: SignatureSettings): TrustFacts {
  const configRel = posixRelative(root, sig.configFile);
  const signersRel = posixRelative(root, sig.allowedSigners);
  const configInRepo = inside(configRel);
  const signersInRepo = inside(signersRel);
  const read = (file: string): string | null => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return null;
    }
  };
  const workingConfig = read(sig.configFile);
  const working = stateOf(workingConfig, read(sig.allowedSigners));
  if (!configInRepo && !signersInRepo) return { roles: working.roles, signers: working.signers, refused: [], problem: null, untrustedInEffect: false, servers: working.servers };
  const shown = new Map<string, string | null>();
  const show = (commit: string, rel: string): string | null => {
    const k = `${commit}:${rel}`;
    if (!shown.has(k)) shown.set(k, git(root, ["show", k]));
    return shown.get(k)!;
  };
  // The signers are those the configuration names at each commit, not those the working configuration names: a
  // commit that points the configuration at a file of its own is a change like any other, not a new anchor.
  const signersAt = (commit: string): { readonly rel: string } | { readonly file: string } | null => {
    if (!configInRepo) return signersInRepo ? { rel: signersRel } : { file: sig.allowedSigners };
    const file = signersNamed(show(commit, configRel), sig.configFile);
    if (file === null) return null;
    const rel = posixRelative(root, file);
    return inside(rel) ? { rel } : { file };
  };
  const signerPaths = new Set(signersInRepo ? [signersRel] : []);
  if (configInRepo) {
    const configLog = git(root, ["log", "--full-history", "--format=%H", "--end-of-options", "HEAD", "--", configRel]);
    if (configLog === null) return { roles: null, signers: null, refused: [], untrustedInEffect: true, problem: `git could not read the history of ${configRel}` };
    for (const commit of configLog.split("\n").filter(Boolean)) {
      const at = signersAt(commit);
      if (at && "rel" in at) signerPaths.add(at.rel);
    }
  }
  const paths = [...(configInRepo ? [configRel] : []), ...signerPaths];
  // Parents before children whatever the commit dates say: by date alone, a branch's commit can come before the
  // commit it was made on (dates tie or are skewed), and would be checked against signers not yet set.
  const log = git(root, ["log", "--reverse", "--topo-order", "--full-history", "--format=%H", "--end-of-options", "HEAD", "--", ...paths]);
  if (log === null) return { roles: null, signers: null, refused: [], untrustedInEffect: true, problem: `git could not read the history of ${paths.join(" and ")}` };
  let trusted: TrustedState | null = signersInRepo ? null : { ...stateOf(null, working.signers), key: "" };
  const refused: RefusedChange[] = [];
  let head: TrustedState | null = null;
  /** Why a signature could not be checked at all (ssh-keygen or gpg missing), when that happened. */
  let unchecked: string | null = null;
  for (const commit of log.split("\n").filter(Boolean)) {
    const at = signersAt(commit);
    const state = stateOf(configInRepo ? show(commit, configRel) : workingConfig, at === null ? null : "rel" in at ? show(commit, at.rel) : read(at.file));
    head = state;
    if (trusted && state.key === trusted.key && state.signers === trusted.signers) continue;
    const anchor = trusted === null || trusted.signers === null;
    // Before the signers file exists there is nothing to check a change against, and nothing is trusted yet.
    if (anchor && state.signers === null) continue;
    const against = anchor ? state.signers! : trusted!.signers!;
    const checked = verifyCommits(root, [commit], { text: `${against}\n` })?.get(commit);
    const principals = principalsOf(against);
    // A review server's key vouches for the accounts it writes approvals for, never for a change of the trust itself.
    const servers = new Set(anchor ? state.servers : trusted!.servers);
    const byServer = checked?.status === "good" && (servers.has(checked.signer.toLowerCase()) || (checked.signerEmail !== null && servers.has(checked.signerEmail)));
    const ok = checked?.status === "good" && !byServer && (principals.has(checked.signer.toLowerCase()) || (checked.signerEmail !== null && principals.has(checked.signerEmail)));
    if (ok) {
      trusted = state;
      continue;
    }
    const author = checked?.author ?? { commit, name: "", email: "", date: "" };
    if (checked?.status === "unchecked") unchecked ??= checked.problem ?? "git could not check it";
    const why = !checked ? "git could not check its signature"
      : checked.status === "unchecked" ? `its signature could not be checked: ${checked.problem ?? "git could not check it"}`
        : checked.status === "unsigned" ? "it is not signed"
          : checked.status === "good" ? byServer ? `it is signed by ${checked.signer}, a review server's key, which cannot vouch for changes to the roles or the signers` : `it is signed by ${checked.signer}, who is not an allowed signer`
            : `it is signed by a key that ${anchor ? "it does not list itself" : "was not allowed before it"}${checked.key ? ` (${checked.key})` : ""}`;
    refused.push({ commit, author, roles: state.roles, signers: state.signers, reason: `${anchor ? "the first commit that sets the allowed signers" : "a change to the roles or the allowed signers"}: ${why}` });
  }
  const headState = head ?? stateOf(null, null);
  if (working.key !== headState.key || working.signers !== headState.signers) {
    refused.push({ commit: "", author: { commit: "", name: "", email: "", date: "" }, roles: working.roles, signers: working.signers, reason: "uncommitted changes to the roles or the allowed signers (commit them, signed)" });
  }
  if (!trusted || trusted.signers === null) {
    const committed = head !== null && head.signers !== null;
    return {
      roles: null, signers: null, refused, untrustedInEffect: true,
      problem: committed ? unchecked ? `the signatures of the allowed signers' history could not be checked: ${unchecked}` : "no commit that sets the allowed signers is signed by a key it lists"
        : `the allowed signers${signersInRepo ? ` (${signersRel})` : ""} are not committed: commit the file and the "signatures" settings that name it, in a commit signed by a key the file lists`,
    };
  }
  // A refused change no longer matters once a trusted change (a signed revert, say) is what the files hold.
  const untrustedInEffect = working.key !== trusted.key || working.signers !== trusted.signers;
  return { roles: trusted.roles, signers: trusted.signers, refused, problem: null, untrustedInEffect, servers: trusted.servers };
}
