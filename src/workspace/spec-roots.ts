// A workspace with several spec roots (`workspaces` in techspec.config.json, as npm's workspaces): which root a spec
// belongs to, each root's settings for lint, and the workspace rules across every root with each file's own severity.
import { resolve } from "node:path";
import type { Diagnostic } from "../model/diagnostic.js";
import type { Span } from "../model/position.js";
import { lintWorkspace } from "../rules/lint-workspace.js";
import type { Config } from "./config.js";
import type { RootLintSettings } from "./lint-file.js";
import { isInside, posixRelative } from "./paths.js";

/** Every spec root: the configuration's own folder first, then its workspace's roots (one root outside a workspace). */
export function specRoots(config: Config): readonly Config[] {
  return [config, ...(config.roots ?? [])];
}

/** The configuration of the spec root nearest `path` (a spec, or a folder such as the current one): the deepest root holding it. */
export function rootFor(config: Config, path: string): Config {
  let best = config;
  for (const r of config.roots ?? []) if (r.root.length > best.root.length && isInside(r.root, path)) best = r;
  return best;
}

/**
 * The spec root `--root` names: by its name, its folder from the workspace's folder, or its folder from `cwd`;
 * null when none is.
 */
export function rootNamed(config: Config, name: string, cwd: string): Config | null {
  const folder = name.replace(/\\/g, "/").replace(/^\.\/(?=.)/, "").replace(/(?<=.)\/+$/, "");
  const abs = resolve(cwd, name);
  return specRoots(config).find((r) => r.name === name || r.name === folder || (posixRelative(config.root, r.root) || ".") === folder)
    ?? specRoots(config).find((r) => r.root === abs) ?? null;
}

/** The names of the spec roots, for messages: "., packages/billing, packages/search". */
export function rootNames(config: Config): string {
  return specRoots(config).map((r) => r.name ?? ".").join(", ");
}

/** For a lint job: each spec root's settings, the deepest folder first, so each file is linted with its own root's. */
export function rootLintSettings(config: Config): { roots?: RootLintSettings[] } {
  if (!config.roots?.length) return {};
  const roots = specRoots(config).map((r) => ({ dir: r.root, settings: r.settings, rules: r.rules, overrides: r.overrides, maxFileSize: r.maxFileSize }));
  return { roots: roots.sort((a, b) => b.dir.length - a.dir.length) };
}

/**
 * The workspace rules (unique Feature IDs) over the specs of every root together: two specs collide wherever they
 * are, and each finding has the severity its own root configures for the rule.
 */
export function workspaceFindings(config: Config, linted: readonly { readonly path: string; readonly display: string; readonly featureId: string | null; readonly featureIdAt: Span | null }[]): Diagnostic[] {
  const entries = linted.map((r) => ({ file: r.display, featureId: r.featureId, featureIdAt: r.featureIdAt }));
  if (!config.roots?.length) return lintWorkspace(entries, config.rules);
  const out: Diagnostic[] = [];
  for (const root of specRoots(config)) {
    const files = new Set(linted.filter((r) => rootFor(config, r.path) === root).map((r) => r.display));
    if (files.size > 0) out.push(...lintWorkspace(entries, root.rules).filter((d) => files.has(d.file)));
  }
  return out;
}
