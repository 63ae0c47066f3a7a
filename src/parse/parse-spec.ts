// Markdown text → the spec model, in one pass over the lines: the outline names every heading, then each section
// reader (parse/sections/) reads its part. Readers fill the position map and diagnostics of one ParseContext.
import type { Diagnostic } from "../model/diagnostic.js";
import type { PositionMap } from "../model/position.js";
import type { EntityTable, SourceSection, SpecSource } from "../model/source.js";
import type { Api, Approval, Component, Entity, Link, SectionRef, Spec } from "../model/spec.js";
import { createContext, report, span, textOf, type ParseContext } from "./context.js";
import { scanLines } from "./scan-lines.js";
import { readApi } from "./sections/apis.js";
import { readApprovals } from "./sections/approvals.js";
import { readComponent } from "./sections/components.js";
import { readEntity } from "./sections/entities.js";
import { collectLinks, readLinks } from "./sections/links.js";
import { readStrings } from "./sections/lists.js";
import { readMetadata } from "./sections/metadata.js";
import { readOutline } from "./sections/outline.js";

/** What `parseSpec` returns: the model, positions of its values, what the parser saw, and parse diagnostics. */
export interface ParseResult {
  readonly spec: Spec;
  readonly pos: PositionMap;
  readonly source: SpecSource;
  readonly diagnostics: readonly Diagnostic[];
}

/** Message for a Markdown file that is not a technical specification. */
export const NOT_A_SPEC = 'not a technical specification: no "# Technical Specification: <name>" title and no Overview metadata (Feature ID or Status)';

/** File names that say a Markdown file is a technical specification whatever its title says. */
const SPEC_FILE = /(?:^|[/\\])(?:[^/\\]*[-_.])?(?:technical[-_]specification|tech[-_]spec|technical[-_]design)s?\.(?:md|markdown)$/i;

/** Parses Markdown text into the spec model. Never throws; time is linear in the input. */
export function parseSpec(text: string, path = ""): ParseResult {
  try {
    return read(String(text), path);
  } catch (err) {
    // A parser defect must not take lint down: report it as a diagnostic on an empty model.
    const empty = read("", path);
    return {
      ...empty,
      diagnostics: [{ file: path, line: 1, column: 1, endLine: 1, endColumn: 1, rule: "parse", severity: "error",
        message: `internal parser error: ${(err as Error).message} (please report this file)` }],
    };
  }
}

/** Text values of the template's prose sections, by section key: where in the model each one goes. */
type Prose = Partial<Record<string, string>>;

function read(text: string, path: string): ParseResult {
  const scan = scanLines(text);
  const ctx = createContext(text, path, scan);
  const outline = readOutline(ctx);
  const sections = outline.sections;
  if (outline.titleIndex >= 0) ctx.pos.set("title", sections[outline.titleIndex]!.span);
  const { metadata, rawStatus } = readMetadata(ctx, metadataRanges(ctx, sections));
  const doc = collectLinks(ctx);

  const prose: Prose = {};
  const refs: SectionRef[] = [];
  const components: Component[] = [];
  const entities: Entity[] = [];
  const entityTables: EntityTable[] = [];
  const apis: Api[] = [];
  let approvals: Approval[] = [];
  let rawDecisions: string[] = [];
  const lists: { relatedDocuments: Link[]; references: Link[]; libraries: string[]; deploymentDependencies: string[]; openQuestions: string[] } = {
    relatedDocuments: [], references: [], libraries: [], deploymentDependencies: [], openQuestions: [],
  };
  for (const s of sections) {
    const body = (): string => textOf(ctx, s.bodyStart, s.bodyEnd);
    refs.push(sectionRef(ctx, s));
    const path = PROSE_PATHS[s.key ?? ""];
    if (path !== undefined) {
      if (prose[s.key!] === undefined) prose[s.key!] = body();
      ctx.pos.set(path, s.span);
      continue;
    }
    switch (s.key) {
      case "relatedDocuments": ctx.pos.set("relatedDocuments", s.span); lists.relatedDocuments = readLinks(ctx, s, "relatedDocuments", doc); break;
      case "appendix.references": ctx.pos.set("references", s.span); lists.references = readLinks(ctx, s, "references", doc); break;
      case "implementation.libraries": ctx.pos.set("implementation/libraries", s.span); lists.libraries = readStrings(ctx, s, "implementation/libraries"); break;
      case "deployment.dependencies": ctx.pos.set("deployment/dependencies", s.span); lists.deploymentDependencies = readStrings(ctx, s, "deployment/dependencies"); break;
      case "openQuestions": ctx.pos.set("openQuestions", s.span); lists.openQuestions = readStrings(ctx, s, "openQuestions"); break;
      case "architecture.components": ctx.pos.set("architecture/components", s.span); break;
      case "apiDesign": ctx.pos.set("apis", s.span); break;
      case "component": components.push(readComponent(ctx, s, components.length)); break;
      case "entity": {
        const r = readEntity(ctx, s, entities.length);
        entities.push(r.entity);
        entityTables.push(r.table);
        break;
      }
      case "api": apis.push(readApi(ctx, s, apis.length)); break;
      case "approval": {
        ctx.pos.set("approvals", s.span);
        // A second Approval block adds its lines: every approval line is read, none hides.
        const r = readApprovals(ctx, s, approvals.length);
        approvals = [...approvals, ...r.approvals];
        rawDecisions = [...rawDecisions, ...r.rawDecisions];
        break;
      }
      default: break;
    }
  }

  const titleSection = outline.titleIndex >= 0 ? sections[outline.titleIndex]! : null;
  const isSpec = outline.titleSaysSpec || metadata.featureId !== null || metadata.status !== null
    || (SPEC_FILE.test(path) && (titleSection !== null || sections.some((s) => s.key !== null && s.key !== "title")));
  if (!isSpec) report(ctx, span(1, 1, 1), "error", NOT_A_SPEC);
  for (const b of scan.codeBlocks) {
    if (!b.closed) {
      report(ctx, span(b.line, 1, scan.lines[b.line - 1]!.length + 1), "warning",
        "code fence is never closed: everything after it is read as code (close it with a matching fence line)");
    }
  }
  const p = (key: string): string | null => prose[key] ?? null;
  const spec: Spec = {
    path, title: outline.title, metadata, introduction: p("introduction"), relatedDocuments: lists.relatedDocuments,
    architecture: { overview: p("architecture"), systemContext: p("architecture.systemContext"), components },
    dataModel: { overview: p("dataModel"), entities },
    apis,
    implementation: {
      overview: p("implementation"), algorithms: p("implementation.algorithms"), libraries: lists.libraries,
      configuration: p("implementation.configuration"), security: p("implementation.security"),
      performance: p("implementation.performance"), scalability: p("implementation.scalability"),
    },
    testing: { overview: p("testing"), unit: p("testing.unit"), integration: p("testing.integration"), endToEnd: p("testing.endToEnd") },
    deployment: { overview: p("deployment"), dependencies: lists.deploymentDependencies, migration: p("deployment.migration"), rollback: p("deployment.rollback") },
    openQuestions: lists.openQuestions, references: lists.references, approvals, sections: refs,
  };
  const source: SpecSource = {
    text, lines: scan.lines, lineStarts: scan.lineStarts, inCode: scan.inCode,
    sections, codeBlocks: scan.codeBlocks, links: doc.links, linkLabels: doc.labels, linkDefinitions: doc.definitions,
    entityTables, jsonExamples: ctx.jsonExamples, rawDecisions, rawStatus, isSpec,
  };
  return { spec, pos: ctx.pos, source, diagnostics: ctx.diagnostics };
}

/** Sections whose text is a model field of its own, with the field's path. */
const PROSE_PATHS: Readonly<Record<string, string>> = {
  introduction: "introduction",
  architecture: "architecture",
  "architecture.systemContext": "architecture/systemContext",
  dataModel: "dataModel",
  implementation: "implementation",
  "implementation.algorithms": "implementation/algorithms",
  "implementation.configuration": "implementation/configuration",
  "implementation.security": "implementation/security",
  "implementation.performance": "implementation/performance",
  "implementation.scalability": "implementation/scalability",
  testing: "testing",
  "testing.unit": "testing/unit",
  "testing.integration": "testing/integration",
  "testing.endToEnd": "testing/endToEnd",
  deployment: "deployment",
  "deployment.migration": "deployment/migration",
  "deployment.rollback": "deployment/rollback",
};

/** A section as the model lists it; prose without a field of its own keeps its text in `content`. */
function sectionRef(ctx: ParseContext, s: SourceSection): SectionRef {
  const keep = s.key === null || s.key === "appendix" || s.key === "architecture.components" || s.key === "apiDesign";
  const content = keep ? textOf(ctx, s.bodyStart, s.bodyEnd) : "";
  return keep && (s.key === null || content !== "")
    ? { heading: s.heading, level: s.level, line: s.line, key: s.key, content }
    : { heading: s.heading, level: s.level, line: s.line, key: s.key };
}

/**
 * Where metadata may stand: before the first heading, under the title, under Overview, and under any other heading
 * that comes before the first content section (a "Document Info" heading, say).
 */
function metadataRanges(ctx: ParseContext, sections: readonly SourceSection[]): [number, number][] {
  const ranges: [number, number][] = [];
  const first = sections[0];
  ranges.push([1, first ? first.line - 1 : ctx.scan.lines.length]);
  let content = false;
  let overviewDone = false;
  for (const s of sections) {
    const isOverview = s.key === "overview" && !overviewDone;
    if (s.key !== null && s.key !== "title" && s.key !== "overview") content = true;
    if (isOverview) overviewDone = true;
    if (isOverview || (!content && (s.key === null || s.key === "title" || s.key === "overview"))) ranges.push([s.bodyStart, s.bodyEnd]);
  }
  return ranges;
}
