// YAML file (or text) → extends → --set overrides → strict validation → frozen config with
// every default filled in; keys named in `paths` hold absolute paths. `toYaml` writes it back (the
// run directory's resolved.yaml).
import { resolve as resolvePath } from 'node:path';
import { stringify } from 'yaml';
import type { z } from 'zod';
import { loadText, loadTree, readFileIfExists, type ReadFile } from './load.ts';
import { applyOverride, parseOverride } from './overrides.ts';
import { resolvePaths, type PathRules } from './paths.ts';
import { validateTree } from './validate.ts';

export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export interface ResolveOptions<S extends z.ZodType> {
  schema: S;
  /** The experiment YAML file. Either `file` or `text`. */
  file?: string;
  /** YAML text; `extends` resolve against `textPath`'s folder (default: the working directory). */
  text?: string;
  textPath?: string;
  /** `--set path=value` arguments, applied in order after `extends`. */
  sets?: readonly string[];
  readFile?: ReadFile;
  /** Keys holding file paths, made absolute before validation (see paths.ts). */
  paths?: PathRules;
}

export interface Resolved<T> {
  /** The validated config, defaults filled, deeply frozen. */
  config: DeepReadonly<T>;
  /** Files read, parents first. */
  files: readonly string[];
  /** The overrides as given. */
  sets: readonly string[];
  /** dotted path → file (or `--set`) that set it. */
  provenance: ReadonlyMap<string, string>;
}

export function resolveConfig<S extends z.ZodType>(opts: ResolveOptions<S>): Resolved<z.output<S>> {
  const readFile = opts.readFile ?? readFileIfExists;
  const loaded =
    opts.text !== undefined
      ? loadText(opts.text, resolvePath(opts.textPath ?? '<text>.yaml'), [], readFile)
      : loadTree(opts.file ?? '', readFile);
  const rootFile = loaded.files[loaded.files.length - 1]!;
  const sets = opts.sets ?? [];
  for (const s of sets) applyOverride(loaded.tree, loaded.provenance, opts.schema, parseOverride(s));
  if (opts.paths) resolvePaths(loaded.tree, loaded.provenance, opts.paths, rootFile);
  const value = validateTree(opts.schema, loaded.tree, loaded.provenance, rootFile);
  return {
    config: deepFreeze(value) as DeepReadonly<z.output<S>>,
    files: Object.freeze([...loaded.files]),
    sets: Object.freeze([...sets]),
    provenance: loaded.provenance,
  };
}

export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** YAML text of a resolved config (key order as the schema outputs it; no line folding). */
export function toYaml(config: unknown): string {
  return stringify(config, { lineWidth: 0, aliasDuplicateObjects: false });
}
