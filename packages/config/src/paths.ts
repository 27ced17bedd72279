// File paths inside a config: a relative path means "relative to the YAML file that wrote it"
// (so an experiment and its data can move together), or to the working directory for a value
// given with `--set` (typed on the command line, where the working directory is what the user
// sees). Either way the resolved config holds the absolute path, so the run directory's
// resolved.yaml means the same files from any working directory.
import { dirname, isAbsolute, resolve } from 'node:path';
import { isPlainObject } from './schema-walk.ts';
import { SET_SOURCE } from './overrides.ts';
import { sourceOf, type Provenance, type Tree } from './merge.ts';

/**
 * Which keys hold paths, as dotted patterns (`*` matches one key), and what a relative path is
 * relative to: `file` = the directory of the YAML file that set it (`--set`: the working
 * directory); `cwd` = always the working directory.
 */
export type PathRules = Readonly<Record<string, 'file' | 'cwd'>>;

/** Rewrites every relative string at a path matching `rules` into an absolute path (in place). */
export function resolvePaths(
  tree: Tree,
  provenance: Provenance,
  rules: PathRules,
  rootFile: string,
  cwd = process.cwd(),
): void {
  for (const [pattern, base] of Object.entries(rules)) {
    visit(tree, pattern.split('.'), [], (parent, key, at) => {
      const v = parent[key];
      if (typeof v !== 'string' || v === '' || isAbsolute(v)) return;
      const source = sourceOf(provenance, at.join('.'), rootFile);
      const dir = base === 'file' && source !== SET_SOURCE ? dirname(resolve(cwd, source)) : cwd;
      parent[key] = resolve(dir, v);
    });
  }
}

type Visitor = (parent: Tree, key: string, at: string[]) => void;

function visit(node: unknown, pattern: readonly string[], at: string[], f: Visitor): void {
  const [head, ...rest] = pattern;
  if (head === undefined || !isPlainObject(node)) return;
  for (const key of head === '*' ? Object.keys(node) : Object.hasOwn(node, head) ? [head] : []) {
    if (rest.length === 0) f(node, key, [...at, key]);
    else visit(node[key], rest, [...at, key], f);
  }
}
