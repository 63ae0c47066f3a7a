import type { Approval } from "../model/spec.js";
import { recordsDecision } from "../workflow/standing.js";
import { formatPerson, holders, parsePerson, rolesConfigured, samePerson, type Person } from "../workflow/people.js";
import type { CommitSignature, GitFacts, RefusedChange, Report, RuleContext } from "./rule.js";
import type { Rule } from "./rule.js";
import { at } from "./util.js";

export const approvalProvenance: Rule = {
  id: "approval-provenance",
  description: "In git, an Approved or Rejected line was written by the person it names, who holds the role: with signatures required, the commit that last wrote the line carries a good signature of that person (checked against the allowed signers, whose history and the roles' history must be signed too); without them, the commit's author (which anyone can set) holds the role. When git cannot vouch for the history (not committed, a shallow clone, a repository git refuses, no git) while roles or signatures are configured, that is an error, never a silent pass.",
  defaultSeverity: "error",
  docs: {
    bad: "**Security Lead**: Jane Doe - Approved 2026-11-23 (sha256:3f2a9c1e…)\n(the line was committed by Mallory <mallory@example.com> without a signature, or signed by Mallory's key)",
    good: "**Security Lead**: Jane Doe - Approved 2026-11-23 (sha256:3f2a9c1e…)\n(the line was committed in a commit signed by jane@example.com, a Security Lead, with a key in the allowed signers)",
  },
  check(ctx, report) {
    const signed = ctx.settings.signatures?.required === true;
    if (!signed && !rolesConfigured(ctx.settings)) return;
    const decided = ctx.spec.approvals.map((a, i) => ({ a, i })).filter(({ a }) => recordsDecision(a));
    if (decided.length === 0) return;
    const git = ctx.host.git;
    if (!git) {
      if (ctx.host.gitProblem) {
        const n = decided.length;
        report({ message: `${n === 1 ? "The recorded decision" : `The ${n} recorded decisions`} cannot be verified: ${ctx.host.gitProblem.reason}`, at: at(ctx, `approvals/${decided[0]!.i}`), severity: "error" });
      }
      return;
    }
    if (signed) {
      // Any change to the configuration or the signers that no allowed signer vouched for may weaken what
      // the checks below rely on (a rule turned off, a role dropped): until it is signed or reverted, fail closed.
      const trust = git.trust?.();
      const refused = trust?.refused ?? [];
      if (trust && trust.problem === null && trust.untrustedInEffect) {
        report({
          message: `The configuration or the allowed signers were changed without a trusted signature, so no decision of this spec counts until the change is signed by an allowed signer or reverted${refusedNote(refused)}`,
          at: at(ctx, `approvals/${decided[0]!.i}`),
        });
      }
    }
    for (const { a, i } of decided) {
      const where = at(ctx, `approvals/${i}`);
      if (signed) checkSigned(git, a, where, report);
      else checkAuthor(ctx, git, a, where, report);
    }
  },
};

/** Without signatures: the commit's author holds the role (which shows honest mistakes, not forgeries). */
function checkAuthor(ctx: RuleContext, git: GitFacts, a: Approval, where: Report["at"], report: (r: Report) => void): void {
  const author = git.lineAuthor(where.line);
  if (!author || holders(ctx.settings, a.role).some((h) => samePerson(h, { name: author.name, email: author.email }))) return;
  const people = holders(ctx.settings, a.role);
  report({
    message: `The ${a.role}'s ${a.decision} line was written by ${author.name} <${author.email}> in commit ${author.commit.slice(0, 8)} (${author.date}), who does not hold the ${a.role} role`
      + `${people.length ? ` (held by ${people.map(formatPerson).join(", ")})` : ""}: only a holder of the role may record it (techspec approve)`,
    at: where,
  });
}

const describeChange = (c: RefusedChange): string => (c.commit === "" ? "uncommitted changes" : `commit ${c.commit.slice(0, 8)} by ${c.author.name} <${c.author.email}> (${c.author.date})`);

const holdersIn = (roles: Readonly<Record<string, readonly string[]>>, role: string): Person[] =>
  holders({ approvalRoles: [], requiredApprovals: [], roles }, role);

/** With signatures: the commit that last wrote the line is signed by the person the line names, a holder of the role. */
function checkSigned(git: GitFacts, a: Approval, where: Report["at"], report: (r: Report) => void): void {
  const what = `The ${a.role}'s ${a.decision} line`;
  const trust = git.trust?.();
  if (!trust || trust.roles === null) {
    report({ message: `${what} cannot be verified: ${trust?.problem ?? "the signatures cannot be checked"}${refusedNote(trust?.refused ?? [])}`, at: where });
    return;
  }
  const sig = git.lineSignature?.(where.line) ?? null;
  if (!sig) {
    report({
      message: git.lineAuthor(where.line)
        ? `${what} cannot be verified: git could not check the signature of the commit that wrote it`
        : `${what} is not committed yet, so no signature vouches for it: commit it signed (git commit -S)`,
      at: where,
    });
    return;
  }
  const commit = `commit ${sig.commit.slice(0, 8)} (${sig.author.date}, author ${sig.author.name} <${sig.author.email}>)`;
  const person = parsePerson(a.name);
  const failure = signatureFailure(sig);
  if (failure) {
    report({ message: `${what} was last written in ${commit}, which ${failure}: with signatures required, only a commit signed by the person the line names counts (the author field proves nothing; see docs/signatures.md)${sig.status === "unknown-key" ? refusedNote(trust.refused.filter((c) => c.signers !== trust.signers)) : ""}`, at: where });
    return;
  }
  const named = holdersIn(trust.roles, a.role).filter((h) => samePerson(h, person));
  if (named.length === 0) {
    const through = trust.refused.find((c) => holdersIn(c.roles, a.role).some((h) => samePerson(h, person)));
    report({
      message: through
        ? `${what} names ${a.name}, who holds the ${a.role} role only through ${describeChange(through)}, which the chain of trust refused (${through.reason})`
        : `${what} is signed by ${sig.signer}, but ${a.name} does not hold the ${a.role} role${heldBy(trust.roles, a.role)}`,
      at: where,
    });
    return;
  }
  const emails = named.map((h) => h.email).filter((e): e is string => e !== null);
  if (emails.length === 0) {
    report({ message: `${what} names ${a.name}, whose entry in roles has no e-mail address, so no signature can be matched to them (write "${a.name} <email>" in roles, as in the allowed signers)`, at: where });
    return;
  }
  // A review server's key vouches for the account its commit's Techspec-Account trailer names, not for the server.
  const server = sig.signerEmail !== null && (trust.servers ?? []).includes(sig.signerEmail);
  if (server && !sig.account) {
    report({ message: `${what} was last written in ${commit}, signed by the review server ${sig.signer}, whose commit names no account (a Techspec-Account trailer): the server vouches for nobody there`, at: where });
    return;
  }
  const vouched = server ? sig.account! : sig.signerEmail;
  if (vouched === null || !emails.includes(vouched)) {
    const signerHolds = vouched !== null && holdersIn(trust.roles, a.role).some((h) => h.email === vouched);
    const by = server ? `signed by the review server ${sig.signer} for the account ${vouched}` : `signed by ${sig.signer}`;
    report({
      message: `${what} names ${a.name} but ${commit} is ${by}${signerHolds ? "" : `, who does not hold the ${a.role} role`}: an approval counts only when signed by the person it names${server ? " (or by a review server for that person's account)" : ""}`,
      at: where,
    });
  }
}

/** What is wrong with a signature that does not vouch for anyone, or null for a good one. */
function signatureFailure(sig: CommitSignature): string | null {
  switch (sig.status) {
    case "good": return null;
    case "unsigned": return "is not signed";
    case "bad": return "carries a bad signature (the commit was changed after it was signed)";
    case "unknown-key": return `is signed by an unknown key${sig.key ? ` (${sig.key})` : ""}, not one of the allowed signers`;
    case "expired-signature": return "carries an expired signature";
    case "expired-key": return `is signed by an expired key${sig.key ? ` (${sig.key})` : ""}`;
    case "revoked-key": return `is signed by a revoked key${sig.key ? ` (${sig.key})` : ""}`;
    case "unchecked": return `carries a signature that could not be checked: ${sig.problem ?? "git could not check it"}`;
  }
}

function refusedNote(refused: readonly RefusedChange[]): string {
  if (refused.length === 0) return "";
  return ` (refused by the chain of trust: ${refused.slice(0, 3).map((c) => `${describeChange(c)}: ${c.reason}`).join("; ")}${refused.length > 3 ? `; and ${refused.length - 3} more` : ""})`;
}

function heldBy(roles: Readonly<Record<string, readonly string[]>>, role: string): string {
  const people = holdersIn(roles, role);
  return people.length ? ` (held by ${people.map(formatPerson).join(", ")})` : "";
}
