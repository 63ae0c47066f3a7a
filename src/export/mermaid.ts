import type { Spec } from "../model/spec.js";
import { fieldReader, fieldsOf } from "../types/field-info.js";

/** Mermaid source of the Data Model as an `erDiagram`: entities with fields, relations from foreign keys. */
export function exportErDiagram(spec: Spec): string {
  const names = spec.dataModel.entities.map((e) => e.name);
  const read = fieldReader(names);
  const ids = new Map<string, string>();
  for (const n of names) if (n && !ids.has(n.toLowerCase())) ids.set(n.toLowerCase(), entityId(n, ids.size));
  const lines = ["erDiagram"];
  const relations: string[] = [];
  const done = new Set<string>();
  for (const e of spec.dataModel.entities) {
    const id = ids.get(e.name.toLowerCase());
    if (!id || done.has(id)) continue;
    done.add(id);
    const fields = fieldsOf(e, read);
    lines.push(`  ${id} {`);
    for (const f of fields) {
      const keys = [f.primaryKey ? "PK" : "", f.constraints.some((c) => c.kind === "foreignKey") ? "FK" : "", f.constraints.some((c) => c.kind === "unique") ? "UK" : ""].filter(Boolean);
      const comment = f.field.description ? ` "${text(f.field.description)}"` : "";
      lines.push(`    ${word(f.type.kind === "unknown" ? f.field.type : f.type.kind)} ${word(f.field.name)}${keys.length ? ` ${keys.join(", ")}` : ""}${comment}`);
      for (const c of f.constraints) {
        if (c.kind !== "foreignKey") continue;
        const target = ids.get(c.entity.toLowerCase());
        if (target) relations.push(`  ${target} ${f.required ? "||" : "|o"}--o{ ${id} : "${text(f.field.name)}"`);
      }
    }
    lines.push("  }");
  }
  return `${[...lines, ...relations].join("\n")}\n`;
}

/** Mermaid source of the components as a `flowchart`: components, external dependencies, and their edges. */
export function exportComponentFlowchart(spec: Spec): string {
  const comps = spec.architecture.components;
  const ids = new Map<string, string>();
  comps.forEach((c, i) => {
    if (!ids.has(c.name.toLowerCase())) ids.set(c.name.toLowerCase(), `c${i}`);
  });
  const lines = ["flowchart LR"];
  for (const c of comps) {
    const id = ids.get(c.name.toLowerCase())!;
    if (lines.some((l) => l.startsWith(`  ${id}[`))) continue;
    lines.push(`  ${id}["${text(c.name)}"]`);
  }
  const external = new Map<string, string>();
  const edges = new Set<string>();
  for (const c of comps) {
    const from = ids.get(c.name.toLowerCase())!;
    for (const d of c.dependencies) {
      let to = ids.get(d.toLowerCase());
      if (!to) {
        to = external.get(d.toLowerCase());
        if (!to) {
          to = `x${external.size}`;
          external.set(d.toLowerCase(), to);
          lines.push(`  ${to}[("${text(d)}")]`);
        }
      }
      edges.add(`  ${from} --> ${to}`);
    }
  }
  return `${[...lines, ...edges].join("\n")}\n`;
}

function entityId(name: string, n: number): string {
  const id = name.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^[^A-Za-z]+/, "");
  return id || `Entity${n + 1}`;
}

/** A single Mermaid word: letters, digits, `_` and `-`. */
function word(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "") || "x";
}

/** Text inside Mermaid double quotes: no quotes, brackets or line breaks. */
function text(s: string): string {
  return s.replace(/["\n\r]+/g, " ").replace(/[<>{}]/g, "").trim();
}
