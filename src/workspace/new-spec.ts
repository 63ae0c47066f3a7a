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

/** The highest number `allocateFeatureId` counts: one more still fits a JavaScript number exactly. */
const MAX_COUNTED = Number.MAX_SAFE_INTEGER - 1;

/** A Feature ID in use that allocation did not count, and why. */
export interface IgnoredFeatureId<T> {
  readonly use: T;
  readonly reason: string;
}

/** What `allocateFeatureId` decided: the new ID, the use it counts up from, and the uses it left out. */
export interface FeatureIdAllocation<T> {
  readonly id: string;
  /** The use holding the highest counted number (the first one on a tie, the working tree's before the others), or null. */
  readonly highest: T | null;
  readonly ignored: readonly IgnoredFeatureId<T>[];
}

/**
 * The next free Feature ID: the configured prefix and one more than the highest number in use, zero-padded to
 * `digits`. IDs with another prefix do not count. `local` are the working tree's IDs, counted as they are (up
 * to the largest exactly countable number); `elsewhere` (other branches) count only within the digits the
 * allocation works in: `digits`, or more when the working tree itself has grown past them. A stray
 * `FEAT-99999999` on some branch is reported in `ignored` instead of making every later ID absurd.
 */
export function allocateFeatureId<T extends { readonly id: string }>(local: readonly T[], elsewhere: readonly T[], prefix: string, digits: number): FeatureIdAllocation<T> {
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\d+)$`, "i");
  const ignored: IgnoredFeatureId<T>[] = [];
  let max = 0;
  let highest: T | null = null;
  const numberOf = (use: T): number | null => {
    const m = re.exec(use.id.trim());
    if (!m) return null;
    const n = Number(m[1]);
    if (n > MAX_COUNTED) {
      ignored.push({ use, reason: `its number is too large to count past exactly (over ${MAX_COUNTED})` });
      return null;
    }
    return n;
  };
  for (const use of local) {
    const n = numberOf(use);
    if (n !== null && n > max) [max, highest] = [n, use];
  }
  const width = Math.max(digits, String(max + 1).length);
  const limit = Math.min(10 ** width - 1, MAX_COUNTED);
  for (const use of elsewhere) {
    const n = numberOf(use);
    if (n === null) continue;
    if (n > limit) {
      const why = width > digits ? `the ${width} digits the working tree's IDs have reached` : `idDigits ${digits}`;
      ignored.push({ use, reason: `its number is beyond ${prefix}${"9".repeat(width)}, the range of ${why}` });
    } else if (n > max) [max, highest] = [n, use];
  }
  return { id: `${prefix}${String(max + 1).padStart(digits, "0")}`, highest, ignored };
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

