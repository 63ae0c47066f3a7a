import type { Spec } from "../model/spec.js";

/** A person as configuration and approval lines name them: "Jane Doe <jane@example.com>", "Jane Doe" or "<jane@…>". */
export interface Person {
  readonly name: string;
  readonly email: string | null;
}

/** A role some specs need, declared in the configuration's `requiredApprovals`. */
export interface RequiredApproval {
  readonly role: string;
  /** When the role is needed; every condition given must hold. No `when`: every spec. */
  readonly when?: {
    /** The spec has (true) or has no (false) Data Model entities. */
    readonly dataModel?: boolean;
    /** The spec has (true) or has no (false) APIs. */
    readonly apis?: boolean;
    /** The spec's path, relative to the configuration's folder, starts with one of these folders. */
    readonly paths?: readonly string[];
  };
}

/** Who reviews what: the roles every spec needs, who holds each role, and the roles some specs need. */
export interface ReviewSettings {
  /** Roles whose approval every spec needs. */
  readonly approvalRoles: readonly string[];
  /** Who holds each approval role: "Name <email>" entries. */
  readonly roles: Readonly<Record<string, readonly string[]>>;
  /** Roles some specs need besides approvalRoles (by Data Model, APIs or path). */
  readonly requiredApprovals: readonly RequiredApproval[];
}

/** A person from "Jane Doe <jane@example.com>", "Jane Doe" or "<jane@example.com>". */
export function parsePerson(text: string): Person {
  // As /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/ reads the trimmed text, without its lazy name retrying a run of spaces
  // from each of its spaces: the address is between the last `<` and a final `>`, the name everything before it.
  const t = text.trim();
  const open = t.lastIndexOf("<");
  if (open >= 0 && t.endsWith(">") && /^[^<>\s]+@[^<>\s]+$/.test(t.slice(open + 1, -1))) {
    const name = t.slice(0, open).trimEnd();
    if (!/[\n\r\u2028\u2029]/.test(name)) return { name: name.trim(), email: t.slice(open + 1, -1).toLowerCase() };
  }
  return { name: t, email: null };
}

export function formatPerson(p: Person): string {
  return p.email ? `${p.name} <${p.email}>`.trim() : p.name;
}

const norm = (s: string): string => s.toLowerCase().replace(/\s+/g, " ").trim();

/** Same person: equal e-mail addresses when both have one, else equal names (case and spacing aside). */
export function samePerson(a: Person, b: Person): boolean {
  if (a.email && b.email) return a.email === b.email;
  return a.name !== "" && norm(a.name) === norm(b.name);
}

/** The configured holders of a role (role names compare case-insensitively); empty when none. */
export function holders(settings: ReviewSettings, role: string): Person[] {
  const key = Object.keys(settings.roles).find((r) => norm(r) === norm(role));
  return key ? settings.roles[key]!.map(parsePerson) : [];
}

/** Whether the configuration names anyone for any role (roles are enforced only then). */
export function rolesConfigured(settings: ReviewSettings): boolean {
  return Object.values(settings.roles).some((people) => people.length > 0);
}

/** Whether a person holds a role. */
export function holdsRole(settings: ReviewSettings, role: string, person: Person): boolean {
  return holders(settings, role).some((h) => samePerson(h, person));
}

/** Every role the configuration names (approvalRoles, requiredApprovals, roles), once each, in that order. */
export function knownRoles(settings: ReviewSettings): string[] {
  const out: string[] = [];
  for (const r of [...settings.approvalRoles, ...settings.requiredApprovals.map((x) => x.role), ...Object.keys(settings.roles)]) {
    if (!out.some((x) => norm(x) === norm(r))) out.push(r);
  }
  return out;
}

/** The roles whose approval a spec needs: every `approvalRoles` entry plus each matching `requiredApprovals` rule. */
export function requiredRoles(spec: Spec, workspacePath: string | undefined, settings: ReviewSettings): string[] {
  const roles = [...settings.approvalRoles];
  for (const r of settings.requiredApprovals) {
    const w = r.when ?? {};
    if (w.dataModel !== undefined && (spec.dataModel.entities.length > 0) !== w.dataModel) continue;
    if (w.apis !== undefined && (spec.apis.length > 0) !== w.apis) continue;
    if (w.paths !== undefined) {
      if (workspacePath === undefined) continue;
      const p = workspacePath.replace(/\\/g, "/");
      if (!w.paths.some((prefix) => p.startsWith(prefix.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/?$/, "/")))) continue;
    }
    if (!roles.some((x) => norm(x) === norm(r.role))) roles.push(r.role);
  }
  return roles;
}
