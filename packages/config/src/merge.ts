// Deep merge for `extends:` and provenance (which file set which key).
//
// Rule: plain mappings merge key by key, recursively; anything else (scalars, lists, null)
// in the child replaces the parent's value whole. Lists are never concatenated.
import { isPlainObject } from './schema-walk.ts';

export type Tree = Record<string, unknown>;
/** dotted path → file that set it (mappings and leaves alike). */
export type Provenance = Map<string, string>;

export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return cloneTree(over);
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = Object.hasOwn(base, k) ? deepMerge(base[k], v) : cloneTree(v);
  return out;
}

export function cloneTree<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneTree) as T;
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cloneTree(x)])) as T;
  return v;
}

/** Records `file` as the source of every path in `tree` (below `prefix`). */
export function provenanceOf(tree: unknown, file: string, prefix = '', into: Provenance = new Map()): Provenance {
  if (!isPlainObject(tree)) return into;
  for (const [k, v] of Object.entries(tree)) {
    const p = prefix ? `${prefix}.${k}` : k;
    into.set(p, file);
    provenanceOf(v, file, p, into);
  }
  return into;
}

/** Provenance after `deepMerge(base, over)`: the child's paths win, replaced subtrees are forgotten. */
export function mergeProvenance(base: Provenance, over: Provenance, overTree: unknown): Provenance {
  const out = new Map(base);
  for (const [p, file] of over) {
    if (!isPlainObject(getPath(overTree, p.split('.')))) {
      for (const q of [...out.keys()]) if (q.startsWith(`${p}.`)) out.delete(q);
    }
    out.set(p, file);
  }
  return out;
}

/** The file responsible for `path`: the longest recorded prefix, else `fallback`. */
export function sourceOf(prov: Provenance, path: string, fallback: string): string {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const f = prov.get(parts.slice(0, n).join('.'));
    if (f !== undefined) return f;
  }
  return fallback;
}

export function getPath(tree: unknown, parts: readonly string[]): unknown {
  let cur: unknown = tree;
  for (const p of parts) {
    if (Array.isArray(cur) && /^\d+$/.test(p)) cur = cur[Number(p)];
    else if (isPlainObject(cur)) cur = cur[p];
    else return undefined;
  }
  return cur;
}
