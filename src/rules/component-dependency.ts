import type { Span } from "../model/position.js";
import type { Rule } from "./rule.js";
import { excerpt } from "../parse/inline.js";
import { at, isPlaceholder } from "./util.js";

export const componentDependency: Rule = {
  id: "component-dependency",
  description: "A component dependency names a component of the spec or an external system the spec mentions elsewhere.",
  defaultSeverity: "warning",
  docs: {
    bad: "#### Component 1: Refund Service\n\n- **Dependencies**: Ledger Sync\n\n(no component or other mention of Ledger Sync)",
    good: "#### Component 1: Refund Service\n\n- **Dependencies**: Ledger Service, PostgreSQL\n\n#### Component 2: Ledger Service\n...\n### Libraries and Frameworks\n- PostgreSQL 16",
  },
  check(ctx, report) {
    const components = ctx.spec.architecture.components;
    if (components.length === 0) return;
    const names = new Set(components.map((c) => c.name.toLowerCase()));
    const asked: { dep: string; where: Span; component: string }[] = [];
    components.forEach((c, i) => {
      c.dependencies.forEach((dep, j) => {
        if (names.has(dep.toLowerCase()) || isPlaceholder(dep)) return;
        asked.push({ dep, where: at(ctx, `architecture/components/${i}/dependencies/${j}`), component: c.name });
      });
    });
    // The dependency's own line does not count as a mention. A few are looked up in the text one by one; more at
    // once, in one pass over the text (a search of the whole text per dependency is quadratic in long lists).
    const text = ctx.source.text;
    let mentioned: boolean[];
    if (asked.length <= LOOKUPS) {
      let lower: string | null = null;
      mentioned = asked.map(({ dep, where }) => {
        const from = ctx.source.lineStarts[where.line - 1] ?? 0;
        const to = from + (ctx.source.lines[where.line - 1] ?? "").length;
        // Most mentions are spelled the same way: try that before lower-casing the whole text.
        if (mentionedOutside(text, dep, from, to)) return true;
        const d = dep.toLowerCase();
        lower ??= text.toLowerCase();
        // Lower-casing keeps offsets unless some letter changes length (İ): then compare counts instead.
        return lower.length === text.length ? mentionedOutside(lower, d, from, to)
          : count(lower, d) > count((ctx.source.lines[where.line - 1] ?? "").toLowerCase(), d);
      });
    } else {
      const offLine = (lines: readonly ([number, number] | undefined)[], k: number): boolean => {
        const l = lines[k];
        return l !== undefined && (l[0] !== asked[k]!.where.line || l[1] !== asked[k]!.where.line);
      };
      const exact = new WordMatcher(asked.map((a) => a.dep)).lines(text, false);
      mentioned = asked.map((_, k) => offLine(exact, k));
      const rest = asked.map((a, k) => (mentioned[k] ? "" : a.dep.toLowerCase()));
      if (rest.some((d) => d !== "")) {
        const lower = new WordMatcher(rest).lines(text, true);
        mentioned = mentioned.map((m, k) => m || offLine(lower, k));
      }
    }
    asked.forEach(({ dep, where, component }, k) => {
      if (mentioned[k]) return;
      report({
        message: `Dependency "${dep}" of component "${excerpt(component)}" is neither a component of this spec nor mentioned elsewhere in it (name the component exactly, or describe the external system)`,
        at: where,
      });
    });
  },
};

/** Dependencies up to this many are looked up one by one (the usual case: no index to build); more with WordMatcher. */
const LOOKUPS = 16;

/**
 * Whole-word occurrences of many phrases in one pass: an Aho-Corasick automaton over tokens (runs of word characters,
 * and every other character alone). A whole word is then a run of tokens, provided a phrase that starts (ends) with a
 * non-word character also has a non-word character or the text's edge before (after) it: those characters' tokens
 * carry whether a word character is beside them, in the phrases and in the text alike.
 */
class WordMatcher {
  private readonly ids = new Map<string, number>();
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  /** Nodes in breadth-first order (fail links point to earlier ones). */
  private readonly order: number[] = [];
  /** The node of each phrase, or -1 for an empty one. */
  private readonly ends: number[];

  constructor(phrases: readonly string[]) {
    this.ends = phrases.map((p) => {
      if (p === "") return -1;
      let node = 0;
      forEachToken(p, (key) => {
        let id = this.ids.get(key);
        if (id === undefined) this.ids.set(key, (id = this.ids.size));
        let child = this.next[node]!.get(id);
        if (child === undefined) {
          child = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.next[node]!.set(id, child);
        }
        node = child;
      });
      return node;
    });
    const queue = [...this.next[0]!.values()];
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]!;
      this.order.push(node);
      for (const [id, child] of this.next[node]!) {
        let f = this.fail[node]!;
        while (f !== 0 && !this.next[f]!.has(id)) f = this.fail[f]!;
        const to = this.next[f]!.get(id);
        this.fail[child] = to !== undefined && to !== child ? to : 0;
        queue.push(child);
      }
    }
  }

  /** For each phrase, the first and last line (1-based) of `text` where it is a whole word (`lower`: in lower case). */
  lines(text: string, lower: boolean): ([number, number] | undefined)[] {
    const first = new Array<number>(this.next.length).fill(Infinity);
    const last = new Array<number>(this.next.length).fill(0);
    let node = 0;
    let line = 1;
    forEachToken(text, (key, newline) => {
      const id = this.ids.get(lower ? key.toLowerCase() : key);
      if (id === undefined) node = 0;
      else {
        while (node !== 0 && !this.next[node]!.has(id)) node = this.fail[node]!;
        node = this.next[node]!.get(id) ?? 0;
      }
      if (node !== 0) {
        if (line < first[node]!) first[node] = line;
        if (line > last[node]!) last[node] = line;
      }
      if (newline) line++;
    });
    // A phrase occurs wherever the automaton stood in a node whose fail chain reaches the phrase's node.
    for (let k = this.order.length - 1; k >= 0; k--) {
      const node = this.order[k]!;
      const f = this.fail[node]!;
      if (first[node]! < first[f]!) first[f] = first[node]!;
      if (last[node]! > last[f]!) last[f] = last[node]!;
    }
    return this.ends.map((e) => (e < 0 || last[e] === 0 ? undefined : [first[e]!, last[e]!]));
  }
}

/**
 * Calls `fn` with the key of each token of `s`: "w" + a run of word characters, or "n" + one other character + whether
 * a word character stands before it and after it; `newline` for a line feed.
 */
function forEachToken(s: string, fn: (key: string, newline: boolean) => void): void {
  for (let i = 0; i < s.length;) {
    if (isWordChar(s.charCodeAt(i))) {
      let j = i + 1;
      while (j < s.length && isWordChar(s.charCodeAt(j))) j++;
      fn(`w${s.slice(i, j)}`, false);
      i = j;
    } else {
      fn(`n${s[i]}${isWordChar(s.charCodeAt(i - 1)) ? 1 : 0}${isWordChar(s.charCodeAt(i + 1)) ? 1 : 0}`, s.charCodeAt(i) === 10);
      i++;
    }
  }
}

/** Occurrences of `needle` in `hay` as a whole word (not inside a longer word). */
function count(hay: string, needle: string): number {
  if (needle === "") return 0;
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) {
    if (!isWordChar(hay.charCodeAt(i - 1)) && !isWordChar(hay.charCodeAt(i + needle.length))) n++;
  }
  return n;
}

/** Whether `needle` occurs in `hay` as a whole word (not inside a longer word) outside offsets `from`..`to`; stops at the first. */
function mentionedOutside(hay: string, needle: string, from: number, to: number): boolean {
  if (needle === "") return false;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) {
    if (i >= from && i < to) {
      i = Math.max(i, to - needle.length); // skip the rest of the dependency's line
      continue;
    }
    if (!isWordChar(hay.charCodeAt(i - 1)) && !isWordChar(hay.charCodeAt(i + needle.length))) return true;
  }
  return false;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
}
