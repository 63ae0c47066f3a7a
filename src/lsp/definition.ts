import type { Location, Position } from "vscode-languageserver";
import type { Span } from "../model/position.js";
import type { Entity } from "../model/spec.js";
import { parseFieldType } from "../types/data-type.js";
import type { DataType } from "../types/data-type.js";
import type { DocumentState } from "./document-state.js";
import { rangeOf } from "./text-positions.js";

// A foreign key as the constraint reader reads one (types/constraints.ts), found anywhere in a Constraints cell.
const FOREIGN_KEY = /(?:foreign key|fk|references)\s*(?:(?:→|->|=>|to\b|:)\s*)?`?([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?/gi;

/**
 * Go to definition: from a foreign key (`Foreign key → Payment.id`) to the entity's heading, or to the field's row
 * when the cursor is on the field; from a field whose type is an entity (`Payment`, `Array<Payment>`) to that
 * entity; from a component's dependency that names a component to the component.
 */
export function definition(s: DocumentState, position: Position): Location[] {
  const { spec, pos, source } = s.parsed;
  const line = position.line + 1;
  const column = position.character + 1;
  const to = (span: Span | undefined): Location[] => (span ? [{ uri: s.uri, range: rangeOf(span) }] : []);
  const entities = spec.dataModel.entities;
  const names = entities.map((e) => e.name);
  for (const et of source.entityTables) {
    const row = et.table?.rows.find((r) => r.line === line);
    if (!row) continue;
    const cellIndex = row.cells.findIndex((c) => column >= c.column && column <= c.endColumn);
    const cell = row.cells[cellIndex];
    if (!cell) return [];
    if (cellIndex === (et.columns.type >= 0 ? et.columns.type : 1)) {
      const target = referenced(parseFieldType(cell.text, names).type);
      const e = target === null ? -1 : entityIndex(entities, target);
      return e < 0 ? [] : to(pos.get(`dataModel/entities/${e}`));
    }
    if (cellIndex === (et.columns.constraints >= 0 ? et.columns.constraints : 3)) {
      const offset = column - cell.column;
      for (const m of cell.text.matchAll(FOREIGN_KEY)) {
        const start = m.index;
        if (offset < start || offset > start + m[0].length) continue;
        const e = entityIndex(entities, m[1]!);
        if (e < 0) return [];
        const fieldStart = m[2] === undefined ? -1 : start + m[0].length - m[2].length;
        if (m[2] !== undefined && offset >= fieldStart) {
          const f = fieldIndex(entities[e]!, m[2]);
          if (f >= 0) return to(pos.get(`dataModel/entities/${e}/fields/${f}`));
        }
        return to(pos.get(`dataModel/entities/${e}`));
      }
    }
    return [];
  }
  for (const [i, c] of spec.architecture.components.entries()) {
    for (const [j, dep] of c.dependencies.entries()) {
      const at = pos.get(`architecture/components/${i}/dependencies/${j}`);
      if (!at || at.line !== line || column < at.column || column > at.endColumn) continue;
      // The longest component name the dependency mentions ("Refund Ledger (writes)" names Refund Ledger).
      let target = -1;
      spec.architecture.components.forEach((x, k) => {
        if (k === i || x.name === "" || !dep.toLowerCase().includes(x.name.toLowerCase())) return;
        if (target < 0 || x.name.length > spec.architecture.components[target]!.name.length) target = k;
      });
      return target < 0 ? [] : to(pos.get(`architecture/components/${target}`));
    }
  }
  return [];
}

/** The entity a type refers to, through arrays. */
function referenced(t: DataType): string | null {
  if (t.kind === "reference") return t.entity;
  if (t.kind === "array") return referenced(t.items);
  return null;
}

function entityIndex(entities: readonly Entity[], name: string): number {
  const exact = entities.findIndex((e) => e.name === name);
  return exact >= 0 ? exact : entities.findIndex((e) => e.name.toLowerCase() === name.toLowerCase());
}

function fieldIndex(entity: Entity, name: string): number {
  const exact = entity.fields.findIndex((f) => f.name === name);
  return exact >= 0 ? exact : entity.fields.findIndex((f) => f.name.toLowerCase() === name.toLowerCase());
}
