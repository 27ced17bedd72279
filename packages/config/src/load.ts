// Loading a YAML file with `extends:`.
//
// `extends: base.yaml` or `extends: [a.yaml, b.yaml]` (paths relative to the including file).
// Parents are merged in list order, then the including file on top (child wins; mappings merge
// deeply, lists and scalars replace). A file that (indirectly) extends itself is an error
// naming the chain, e.g. `a.yaml → b.yaml → a.yaml`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ConfigIssuesError } from './issues.ts';
import { deepMerge, mergeProvenance, provenanceOf, type Provenance, type Tree } from './merge.ts';
import { parseYaml } from './parse-yaml.ts';

/** Reads a file as UTF-8 text, or returns undefined when it does not exist. */
export type ReadFile = (absPath: string) => string | undefined;

export const readFileIfExists: ReadFile = (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined);

export interface LoadedTree {
  tree: Tree;
  /** dotted path → display name of the file that set it. */
  provenance: Provenance;
  /** Every file read, parents before children (display names). */
  files: string[];
}

/** Short name for messages: relative to the working directory when inside it. */
export function displayName(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

export function loadTree(file: string, readFile: ReadFile = readFileIfExists): LoadedTree {
  const abs = resolve(file);
  const text = readFile(abs);
  if (text === undefined) {
    throw new ConfigIssuesError('config.load', [
      { file: displayName(abs), path: '', problem: 'file not found', expected: 'an existing YAML file', got: abs },
    ]);
  }
  return loadText(text, abs, [], readFile);
}

/** Loads YAML `text` as if it were the file `abs` (its `extends` resolve against dirname(abs)). */
export function loadText(
  text: string,
  abs: string,
  chain: readonly string[],
  readFile: ReadFile = readFileIfExists,
): LoadedTree {
  const name = displayName(abs);
  const own = parseYaml(text, name);
  const parents = own.extends;
  delete own.extends;
  let tree: Tree = {};
  let provenance: Provenance = new Map();
  const files: string[] = [];
  if (parents !== undefined) {
    const list = typeof parents === 'string' ? [parents] : parents;
    if (!Array.isArray(list) || list.length === 0 || !list.every((p) => typeof p === 'string' && p.length > 0)) {
      throw new ConfigIssuesError('config.extends', [
        {
          file: name,
          path: 'extends',
          problem: 'is malformed',
          expected: 'a relative path or a non-empty list of paths',
          got: JSON.stringify(parents),
        },
      ]);
    }
    const here = [...chain, abs];
    for (const rel of list as string[]) {
      const target = resolve(dirname(abs), rel);
      if (here.includes(target)) {
        const cycle = [...here.slice(here.indexOf(target)), target].map(displayName).join(' → ');
        throw new ConfigIssuesError('config.extends', [
          {
            file: name,
            path: 'extends',
            problem: `forms a cycle: ${cycle}`,
            expected: 'an acyclic chain of extends',
            got: JSON.stringify(rel),
          },
        ]);
      }
      const parentText = readFile(target);
      if (parentText === undefined) {
        throw new ConfigIssuesError('config.extends', [
          {
            file: name,
            path: 'extends',
            problem: `names a file that does not exist (${displayName(target)})`,
            expected: 'a path relative to the including file',
            got: JSON.stringify(rel),
          },
        ]);
      }
      const parent = loadText(parentText, target, here, readFile);
      provenance = mergeProvenance(provenance, parent.provenance, parent.tree);
      tree = deepMerge(tree, parent.tree) as Tree;
      files.push(...parent.files.filter((f) => !files.includes(f)));
    }
  }
  provenance = mergeProvenance(provenance, provenanceOf(own, name), own);
  tree = deepMerge(tree, own) as Tree;
  files.push(name);
  return { tree, provenance, files };
}
