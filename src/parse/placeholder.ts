// What a template placeholder is: the template's own bracketed texts (`[Feature Name]`, `[YYYY-MM-DD]`,
// `[Question 1]`), bracketed instructions (`[Describe the rollback plan]`) and generic fill-ins
// (`[Team Name]`, `[Approved/Pending]`). Brackets that are content stay content: `[BindProperty]`,
// `[Authorize]`, `[x]`, `[string]`, footnotes and link references. The one definition every layer uses.

/** The bracketed texts of the shipped template, lower-cased with runs of spaces collapsed. */
const TEMPLATE_TEXTS: ReadonlySet<string> = new Set([
  "feature name", "id", "name and role", "yyyy-mm-dd", "draft/in review/approved", "name", "description",
  "list of responsibilities", "list of interfaces", "list of dependencies", "field", "type", "constraints",
  "endpoint", "method", "parameter", "status code", "approved/pending",
]);

/** Numbered template items: `[Question 1]`, `[Reference 2]`. */
const NUMBERED = /^(?:question|reference|component|entity|api|field|parameter|item|step|risk|option|decision|requirement) \d+$/;

/** An instruction to the author: an imperative verb and at least two more words. */
const INSTRUCTION = /^(?:describe|list|provide|include|explain|add|insert|enter|specify|write|fill in|replace|summari[sz]e|outline|document|define|identify|mention|give|detail|link to|attach|choose|select|update|state|note)\b(?:\s+\S+){2,}/;

/** Fill-in tokens. */
const TOKENS = /^(?:yyyy-mm-dd|yyyy\/mm\/dd|dd\/mm\/yyyy|mm\/dd\/yyyy|tbd|tba|todo|to do|\.\.\.|…|placeholder|insert here|fill in)$/;

/** A generic fill-in: capitalized words ending in a placeholder noun (`Team Name`, `Service Owner`, `Date`). */
const GENERIC = /^(?:(?:[A-Z][\w'-]*|of|and|or|the|your)\s+){0,4}(?:Name|Names|Description|Date|ID|Title|Owner|Role|Value|Version|Link|URL|Email|E-mail|Number|Team|Status|Details|Summary|Text|Here|Goes Here)$/;

/** An option list of capitalized words: `[Draft/In Review/Approved]`, `[Yes/No]`. */
const OPTIONS = /^[A-Z][\w ]*(?:\s*\/\s*[A-Z][\w ]*)+$/;

/** Whether the text between `[` and `]` is a template placeholder. */
export function isPlaceholderText(inner: string): boolean {
  const t = inner.trim().replace(/\s+/g, " ");
  if (t === "" || t.length > 400) return false;
  const lower = t.toLowerCase();
  return TEMPLATE_TEXTS.has(lower) || NUMBERED.test(lower) || TOKENS.test(lower) || INSTRUCTION.test(lower)
    || GENERIC.test(t) || OPTIONS.test(t);
}

/** Whether a whole value is a template placeholder such as `[Name]` (a model value still as the template left it). */
export function isPlaceholder(value: string | null | undefined): boolean {
  if (!value) return false;
  const t = value.trim();
  return t.length > 2 && t.startsWith("[") && t.endsWith("]") && t.indexOf("]") === t.length - 1 && isPlaceholderText(t.slice(1, -1));
}
