import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError, UsageError } from "./errors.js";
import { readTemplate, TEMPLATE_FILES } from "./package-files.js";

/** Lower-case, dash-separated folder name for a title. */
export function slugify(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "") || "spec";
}

/** The next free Feature ID: the configured prefix and one more than the highest number in use, zero-padded. */
export function nextFeatureId(used: readonly (string | null)[], prefix: string, digits: number): string {
  let max = 0;
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\d+)$`, "i");
  for (const id of used) {
    const m = id ? re.exec(id.trim()) : null;
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `${prefix}${String(max + 1).padStart(digits, "0")}`;
}

/** Fills a template's placeholders for a new spec. */
export function fillTemplate(text: string, values: { title: string; id: string; author: string | null; date: string }): string {
  let out = text
    .replace(/\[Feature Name\]/g, values.title)
    .replace(/\[ID\]/g, values.id)
    .replace(/\[YYYY-MM-DD\]/g, values.date)
    .replace(/\[Draft\/In Review\/Approved\]/g, "Draft");
  if (values.author) out = out.replace(/\[Name and Role\]/g, values.author);
  return out;
}

/**
 * Creates `<dir>/<id>-<slug>/` holding the technical specification and its four related documents.
 * The folder is written under a temporary name and renamed into place, so it appears whole or not at all.
 */
export function createSpec(options: { title: string; id: string; author: string | null; dir: string; date: string }): { folder: string; files: string[] } {
  const title = options.title.trim();
  if (!title) throw new UsageError('the title must not be empty: techspec new "Refund processing"');
  if (/[\r\n]/.test(title)) throw new UsageError("the title must be a single line");
  const folder = resolve(options.dir, `${options.id}-${slugify(title)}`);
  if (existsSync(folder)) throw new InputError(`${folder}: already exists (choose another title or --id)`);
  const tmp = join(dirname(folder), `.${options.id}.${process.pid}.tmp`);
  try {
    mkdirSync(tmp, { recursive: true });
    for (const name of TEMPLATE_FILES) {
      writeFileSync(join(tmp, name), fillTemplate(readTemplate(name), { title, id: options.id, author: options.author, date: options.date }));
    }
    renameSync(tmp, folder);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (err instanceof InputError || err instanceof UsageError) throw err;
    throw new InputError(`${folder}: cannot create (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  return { folder, files: TEMPLATE_FILES.map((n) => join(folder, n)) };
}

