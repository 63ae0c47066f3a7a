import { normalizeName, plain } from "./inline.js";

/** Top-level sections of the template, in template order, with the spellings authors use. */
export const TOP_SECTIONS: readonly { key: string; title: string; names: readonly string[] }[] = [
  { key: "overview", title: "Overview", names: ["overview", "metadata", "document information", "spec information"] },
  { key: "introduction", title: "Introduction", names: ["introduction", "intro", "summary"] },
  { key: "relatedDocuments", title: "Related Documents", names: ["related documents", "related docs", "related documentation", "related"] },
  { key: "architecture", title: "Architecture", names: ["architecture", "architecture overview", "system architecture"] },
  { key: "implementation", title: "Implementation Details", names: ["implementation details", "implementation"] },
  { key: "testing", title: "Testing Approach", names: ["testing approach", "testing", "test approach", "testing strategy", "test strategy"] },
  { key: "deployment", title: "Deployment", names: ["deployment", "deployment plan", "rollout", "deployment and rollout"] },
  { key: "openQuestions", title: "Open Questions", names: ["open questions", "open issues", "questions"] },
  { key: "appendix", title: "Appendix", names: ["appendix", "appendices"] },
  { key: "approval", title: "Approval", names: ["approval", "approvals", "sign off", "signoff", "sign offs"] },
];

/** Sub-sections: `parent` is the top-level key they belong to; `anywhere` ones are recognized under any parent. */
export const SUB_SECTIONS: readonly { key: string; title: string; parent: string; anywhere?: boolean; names: readonly string[] }[] = [
  { key: "architecture.systemContext", title: "System Context", parent: "architecture", anywhere: true, names: ["system context"] },
  { key: "architecture.components", title: "Components", parent: "architecture", anywhere: true, names: ["components", "component design", "system components"] },
  { key: "dataModel", title: "Data Model", parent: "architecture", anywhere: true, names: ["data model", "data models", "database schema", "schema", "data design"] },
  { key: "apiDesign", title: "API Design", parent: "architecture", anywhere: true, names: ["api design", "apis", "api", "endpoints", "api endpoints"] },
  { key: "implementation.algorithms", title: "Algorithms", parent: "implementation", names: ["algorithms", "algorithm"] },
  { key: "implementation.libraries", title: "Libraries and Frameworks", parent: "implementation", names: ["libraries and frameworks", "libraries", "frameworks", "libraries frameworks", "dependencies and libraries"] },
  { key: "implementation.configuration", title: "Configuration", parent: "implementation", names: ["configuration", "config"] },
  { key: "implementation.security", title: "Security Considerations", parent: "implementation", anywhere: true, names: ["security considerations", "security"] },
  { key: "implementation.performance", title: "Performance Considerations", parent: "implementation", anywhere: true, names: ["performance considerations", "performance"] },
  { key: "implementation.scalability", title: "Scalability Considerations", parent: "implementation", anywhere: true, names: ["scalability considerations", "scalability"] },
  { key: "testing.unit", title: "Unit Testing", parent: "testing", names: ["unit testing", "unit tests", "unit test"] },
  { key: "testing.integration", title: "Integration Testing", parent: "testing", names: ["integration testing", "integration tests", "integration test"] },
  { key: "testing.endToEnd", title: "End-to-End Testing", parent: "testing", names: ["end to end testing", "end to end tests", "e2e testing", "e2e tests", "end to end"] },
  { key: "deployment.dependencies", title: "Dependencies", parent: "deployment", names: ["dependencies", "deployment dependencies"] },
  { key: "deployment.migration", title: "Migration", parent: "deployment", anywhere: true, names: ["migration", "migrations", "data migration", "migration plan"] },
  { key: "deployment.rollback", title: "Rollback", parent: "deployment", anywhere: true, names: ["rollback", "rollback plan", "rollback strategy"] },
  { key: "appendix.references", title: "References", parent: "appendix", anywhere: true, names: ["references", "resources"] },
];

/**
 * Keys of the sections whose sub-headings are items (components, entities, APIs), and the prefix that declares an
 * item anywhere: a number or a colon after the word (`Component 2: Cache`, `Entity: Refund`, `API 3 - Create`), so
 * that `Component Interaction` or `Model Training` stay prose.
 */
export const COLLECTIONS: Readonly<Record<string, { item: string; prefix: RegExp }>> = {
  "architecture.components": { item: "component", prefix: /^(?:component|service|module)(?:\s*#?\d+(?:\s*[:.\-–—]\s*\S|\s*$)|\s*[:\-–—]\s*\S)/i },
  dataModel: { item: "entity", prefix: /^(?:entity|table|model)(?:\s*#?\d+(?:\s*[:.\-–—]\s*\S|\s*$)|\s*[:\-–—]\s*\S)/i },
  apiDesign: { item: "api", prefix: /^(?:api|endpoint|operation)(?:\s*#?\d+(?:\s*[:.\-–—]\s*\S|\s*$)|\s*[:\-–—]\s*\S)/i },
};

const topByName = new Map<string, string>();
for (const s of TOP_SECTIONS) for (const n of s.names) topByName.set(n, s.key);
const subByName = new Map<string, (typeof SUB_SECTIONS)[number]>();
for (const s of SUB_SECTIONS) for (const n of s.names) subByName.set(n, s);

/** Every section key the template knows, with its title: the vocabulary of `required-section`. */
export const SECTION_TITLES: Readonly<Record<string, string>> = Object.fromEntries([
  ...TOP_SECTIONS.map((s) => [s.key, s.title]),
  ...SUB_SECTIONS.map((s) => [s.key, s.title]),
]);

/** What a heading names, read with one normalization: a top-level section, a sub-section, or neither. */
export function sectionNamed(heading: string): { top: string | undefined; sub: (typeof SUB_SECTIONS)[number] | undefined } {
  const n = normalizeName(heading, false);
  return { top: topByName.get(n), sub: subByName.get(n) };
}

/** The top-level key for a heading text, if it names one. */
export function topKey(heading: string): string | undefined {
  return topByName.get(normalizeName(heading, false));
}

/** The sub-section for a heading text, if it names one. */
export function subSection(heading: string): (typeof SUB_SECTIONS)[number] | undefined {
  return subByName.get(normalizeName(heading, false));
}

/** The name of a component, entity or API from its heading: `Component 1: Name`, `Entity - Name`, `Name`. */
export function itemName(heading: string): string {
  // Whitespace runs are collapsed first so the prefix pattern below stays linear.
  let t = plain(heading);
  if (/\s\s|\t/.test(t)) t = t.replace(/\s+/g, " ");
  t = stripNumbering(t).trim();
  // A prefix with nothing after it ("Entity 3:", "Component 2") names nothing: the item's rule asks for a name.
  if (/^(?:component|service|module|entity|table|model|api|endpoint|operation) ?#?\d* ?[:.\-–—]? *$/i.test(t) && /\d|[:.\-–—]$/.test(t)) return "";
  const m = /^(?:component|service|module|entity|table|model|api|endpoint|operation) ?#?\d* ?[:.\-–—] ?(.+)$/i.exec(t);
  return (m ? m[1]! : t).trim();
}

/** A heading without its leading section number ("2.3 Data Model" → "Data Model"). */
export function stripNumbering(s: string): string {
  return /^\s*\d/.test(s) ? s.replace(/^\s*\d+(?:\.\d+)*\.?\s+/, "") : s;
}
