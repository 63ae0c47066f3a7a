/** One constraint of a Data Model field, as read from the Constraints column. */
export type Constraint =
  | { readonly kind: "primaryKey"; readonly composite: boolean }
  | { readonly kind: "notNull" }
  | { readonly kind: "nullable" }
  | { readonly kind: "unique" }
  | { readonly kind: "default"; readonly value: string; readonly now: boolean }
  | { readonly kind: "foreignKey"; readonly entity: string; readonly field: string | null }
  | { readonly kind: "check"; readonly expression: string }
  | { readonly kind: "indexed" }
  | { readonly kind: "minLength"; readonly value: number }
  | { readonly kind: "maxLength"; readonly value: number };

/** Splits a Constraints cell on commas and semicolons outside quotes, parentheses, brackets and braces. */
function splitParts(raw: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i <= raw.length; i++) {
    const ch = raw[i];
    if (quote && i < raw.length) {
      if (ch === quote) quote = "";
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth = Math.max(0, depth - 1);
    else if (i === raw.length || (depth === 0 && (ch === "," || ch === ";"))) {
      parts.push(raw.slice(start, i).trim());
      start = i + 1;
    }
  }
  return parts.filter((p) => p !== "");
}

/** Reads a Constraints cell into constraints; what it cannot read is returned in `unknown`, as written. */
export function parseConstraints(raw: string): { constraints: Constraint[]; unknown: string[] } {
  const constraints: Constraint[] = [];
  const unknown: string[] = [];
  const text = raw.replace(/`/g, "").trim();
  if (text === "" || /^(?:-|—|none|n\/a)$/i.test(text)) return { constraints, unknown };
  for (const part of splitParts(text)) {
    const c = parseOne(part);
    if (c) constraints.push(...c);
    else unknown.push(part);
  }
  return { constraints, unknown };
}

/** Constraints written as a fixed phrase (lower case, single spaces). */
const PHRASES: ReadonlyMap<string, readonly Constraint[]> = new Map<string, readonly Constraint[]>([
  ...["primary key", "pk"].map((k) => [k, [{ kind: "primaryKey", composite: false }]] as const),
  ...["primary key (composite)", "primary key composite", "composite primary key", "pk (composite)", "pk composite"]
    .map((k) => [k, [{ kind: "primaryKey", composite: true }]] as const),
  ...["not null", "required", "non-null", "non null"].map((k) => [k, [{ kind: "notNull" }]] as const),
  ...["nullable", "optional", "null"].map((k) => [k, [{ kind: "nullable" }]] as const),
  ["unique", [{ kind: "unique" }]],
  ...["not null unique", "unique not null"].map((k) => [k, [{ kind: "notNull" }, { kind: "unique" }]] as const),
  ...["indexed", "index"].map((k) => [k, [{ kind: "indexed" }]] as const),
]);

function parseOne(part: string): Constraint[] | null {
  const p = part.trim();
  const lower = p.toLowerCase().replace(/\s+/g, " ");
  const phrase = PHRASES.get(lower);
  if (phrase) return [...phrase];
  // `\s*(?:X\s*)?` rather than `\s*X?\s*`: the same texts and groups, without splitting a run of spaces every way.
  let m = /^default\s*(?:[:=]\s*)?(.+)$/i.exec(p);
  if (m) {
    const value = m[1]!.trim();
    return [{ kind: "default", value, now: /^(?:now\(\)|current_timestamp|current_date)$/i.test(value) }];
  }
  m = /^(?:foreign key|fk|references)\s*(?:(?:→|->|=>|to\b|:)\s*)?([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?$/i.exec(p);
  if (m) return [{ kind: "foreignKey", entity: m[1]!, field: m[2] ?? null }];
  m = /^check\s*(?::\s*)?(.+)$/i.exec(p);
  if (m) return [{ kind: "check", expression: m[1]!.trim() }];
  m = /^(min|max)(?:imum)?[ _-]?length\s*(?:[:=]\s*)?(\d+)$/i.exec(p);
  if (m) return [{ kind: m[1]!.toLowerCase() === "min" ? "minLength" : "maxLength", value: Number(m[2]) }];
  return null;
}
