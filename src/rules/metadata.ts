import { isKnownStatus, STATUSES } from "../parse/normalize.js";
import type { Rule } from "./rule.js";
import { at, isPlaceholder, replaceSpan } from "./util.js";

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when y-m-d is a real calendar date. */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

/** The ISO form of a date written as YYYY/M/D, YYYY.M.D or YYYY-M-D, when it is a calendar date. */
function isoOf(value: string): string | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isCalendarDate(y, mo, d) ? `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}` : null;
}

const LABEL = { featureId: "Feature ID", author: "Author", createdDate: "Created Date", lastUpdated: "Last Updated", status: "Status" } as const;

export const metadata: Rule = {
  id: "metadata",
  description: "Overview metadata is complete and well-formed: Feature ID pattern, ISO calendar dates, Last Updated not before Created, a known status (non-canonical status casing is a fixable warning).",
  defaultSeverity: "error",
  fixable: true,
  docs: {
    bad: "**Feature ID**: refunds\n**Created Date**: 2026-02-30\n**Last Updated**: 2026/1/5\n**Status**: in review",
    good: "**Feature ID**: FEAT-0042\n**Created Date**: 2026-01-05\n**Last Updated**: 2026-01-05\n**Status**: In Review",
  },
  check(ctx, report) {
    const { spec, source, settings } = ctx;
    const m = spec.metadata;
    for (const key of Object.keys(LABEL) as (keyof typeof LABEL)[]) {
      if (m[key] === null || m[key] === "") {
        report({ message: `Overview metadata "${LABEL[key]}" is missing (add a line "**${LABEL[key]}**: ...")`, at: at(ctx, `metadata/${key}`) });
      }
    }
    if (m.featureId && !isPlaceholder(m.featureId)) {
      let re: RegExp | null = null;
      try {
        re = new RegExp(settings.featureIdPattern);
      } catch {
        re = null; // the configuration loader reports a bad pattern
      }
      if (re && !re.test(m.featureId)) {
        report({ message: `Feature ID "${m.featureId}" does not match the pattern ${settings.featureIdPattern}`, at: at(ctx, "metadata/featureId") });
      }
    }
    const dates: Partial<Record<"createdDate" | "lastUpdated", string>> = {};
    for (const key of ["createdDate", "lastUpdated"] as const) {
      const v = m[key];
      if (!v || isPlaceholder(v)) continue;
      const iso = ISO.exec(v);
      if (iso && isCalendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]))) {
        dates[key] = v;
        continue;
      }
      const fixed = isoOf(v);
      const where = at(ctx, `metadata/${key}`);
      if (fixed) dates[key] = fixed;
      report({
        message: iso || fixed === null && /^\d{4}-\d{1,2}-\d{1,2}$/.test(v)
          ? `${LABEL[key]} "${v}" is not a calendar date (expected YYYY-MM-DD)`
          : `${LABEL[key]} "${v}" is not an ISO date (expected YYYY-MM-DD${fixed ? `: ${fixed}` : ""})`,
        at: where,
        // Only Last Updated is rewritten: it is the date tools and people bump, and the rewrite is unambiguous.
        ...(fixed && key === "lastUpdated" && where.line === where.endLine ? { fix: replaceSpan(source, where, fixed) } : {}),
      });
    }
    if (dates.createdDate && dates.lastUpdated && dates.lastUpdated < dates.createdDate) {
      report({
        message: `Last Updated ${dates.lastUpdated} is before Created Date ${dates.createdDate}`,
        at: at(ctx, "metadata/lastUpdated"),
      });
    }
    const raw = source.rawStatus;
    if (raw && !isPlaceholder(raw)) {
      const where = at(ctx, "metadata/status");
      if (!isKnownStatus(m.status)) {
        report({ message: `Status "${raw}" is not a known status (expected ${STATUSES.join(", ")})`, at: where });
      } else if (raw !== m.status && m.status !== "Superseded") {
        report({
          message: `Status "${raw}" should be written "${m.status}"`,
          at: where,
          severity: "warning",
          ...(where.line === where.endLine ? { fix: replaceSpan(source, where, m.status!) } : {}),
        });
      }
    }
  },
};
