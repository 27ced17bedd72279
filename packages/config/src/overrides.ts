// `--set a.b=c` overrides, checked against the SCHEMA (not just the YAML): the path must name
// a key the schema has, and the value must have the type the schema expects there.
//
// The value is parsed as a YAML scalar or flow collection (`3e-4` → number, `[1, 2]` → list,
// `{name: cosine}` → mapping, `null`, quoted strings). A set replaces the value at the path
// whole (a mapping value is not merged). Setting inside a component slot (`schedule.eps=…`)
// uses the branch named by the slot's current `name` (from the YAML or the schema default).
import { parse as parseYamlValue } from 'yaml';
import type { z } from 'zod';
import { ConfigIssuesError } from './issues.ts';
import { cloneTree, type Provenance, type Tree } from './merge.ts';
import { childSchema, describeSchema, describeValue, enumOptions, isPlainObject } from './schema-walk.ts';
import { didYouMean, nearest } from '@dlm/core';

export const SET_SOURCE = '--set';

export interface Override {
  path: string[];
  value: unknown;
  /** The argument as given, for messages and argv.txt. */
  text: string;
}

export function parseOverride(arg: string): Override {
  const eq = arg.indexOf('=');
  const pathText = eq < 0 ? '' : arg.slice(0, eq).trim();
  if (eq < 0 || pathText === '' || pathText.split('.').some((p) => p === '')) {
    throw new ConfigIssuesError('config', [
      {
        file: SET_SOURCE,
        path: pathText,
        problem: 'is malformed',
        expected: 'path.to.key=value',
        got: JSON.stringify(arg),
      },
    ]);
  }
  const valueText = arg.slice(eq + 1);
  let value: unknown;
  try {
    value = valueText.trim() === '' ? '' : parseYamlValue(valueText, { strict: true, uniqueKeys: true });
  } catch (e) {
    throw new ConfigIssuesError('config', [
      {
        file: SET_SOURCE,
        path: pathText,
        problem: `has a value that is not a YAML scalar or flow collection (${(e as Error).message.split('\n')[0]})`,
        expected: 'e.g. 3e-4, true, cosine, [1, 2], {name: x}',
        got: JSON.stringify(valueText),
      },
    ]);
  }
  return { path: pathText.split('.'), value, text: arg };
}

/** The default value a schema fills in when the key is absent, if it has one. */
function defaultOf(schema: z.ZodType): unknown {
  let s = schema as unknown as { _zod: { def: Record<string, unknown> } };
  for (let i = 0; i < 16; i++) {
    const d = s._zod.def;
    if (d.type === 'default' || d.type === 'prefault') return cloneTree(d.defaultValue);
    if (!['optional', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(d.type as string)) return undefined;
    s = d.innerType as typeof s;
  }
  return undefined;
}

/** Applies one override to `tree` in place, after checking it against `schema`. */
export function applyOverride(tree: Tree, provenance: Provenance, schema: z.ZodType, o: Override): void {
  let parentSchema = schema;
  let parent: unknown = tree;
  const done: string[] = [];
  for (let i = 0; i < o.path.length; i++) {
    const key = o.path[i]!;
    const path = [...done, key].join('.');
    const child = childSchema(parentSchema, key, parent);
    if (!child.ok) {
      const issue =
        child.reason === 'unknown-key'
          ? {
              problem: `is not a key of the schema (nearest valid key: ${nearest(key, child.valid) ?? 'none'})`,
              expected: `one of ${child.valid.join(', ') || '(no keys)'}${done.length ? ` under ${done.join('.')}` : ' at the top level'}`,
              got: JSON.stringify(key),
            }
          : child.reason === 'unknown-variant'
            ? {
                problem: `cannot be checked: ${[...done, child.key].join('.')} does not name a known ${child.kind}`,
                expected: `${child.key} one of ${child.valid.join(', ')}`,
                got: describeValue(child.got),
              }
            : {
                problem: `goes inside ${done.join('.') || 'the root'}, which has no keys`,
                expected: child.expected,
                got: JSON.stringify(key),
              };
      throw new ConfigIssuesError('config', [{ file: SET_SOURCE, path, ...issue }]);
    }
    const last = i === o.path.length - 1;
    if (last) {
      const r = child.schema.safeParse(o.value);
      if (!r.success) {
        const first = r.error.issues[0];
        const inner =
          first && first.path.length ? ` (at ${[path, ...first.path.map(String)].join('.')}: ${first.message})` : '';
        const guess = typeof o.value === 'string' ? didYouMean(o.value, enumOptions(child.schema) ?? []) : undefined;
        const hint = guess === undefined ? '' : ` (did you mean ${guess}?)`;
        const problem = `has the wrong type or range${inner}${hint}`;
        throw new ConfigIssuesError('config', [
          { file: SET_SOURCE, path, problem, expected: describeSchema(child.schema), got: describeValue(o.value) },
        ]);
      }
      setChild(parent, key, cloneTree(o.value));
      for (const q of [...provenance.keys()]) if (q === path || q.startsWith(`${path}.`)) provenance.delete(q);
      provenance.set(path, SET_SOURCE);
      return;
    }
    let next = getChild(parent, key);
    if (next === undefined || next === null) {
      // Materialise the section (from the schema default when there is one) so the set lands
      // inside a complete value and the slot's `name` stays known.
      const dflt = defaultOf(child.schema);
      next = isPlainObject(dflt) || Array.isArray(dflt) ? dflt : {};
      setChild(parent, key, next);
    }
    if (!isPlainObject(next) && !Array.isArray(next)) {
      throw new ConfigIssuesError('config', [
        {
          file: SET_SOURCE,
          path,
          problem: `holds ${describeValue(next)}, so ${o.path.slice(i + 1).join('.')} cannot be set inside it`,
          expected: describeSchema(child.schema),
          got: describeValue(next),
        },
      ]);
    }
    parentSchema = child.schema;
    parent = next;
    done.push(key);
  }
}

function getChild(parent: unknown, key: string): unknown {
  if (Array.isArray(parent)) return parent[Number(key)];
  return isPlainObject(parent) ? parent[key] : undefined;
}

function setChild(parent: unknown, key: string, value: unknown): void {
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (i > parent.length) {
      throw new ConfigIssuesError('config', [
        {
          file: SET_SOURCE,
          path: key,
          problem: 'is past the end of the list',
          expected: `an index <= ${parent.length}`,
          got: key,
        },
      ]);
    }
    parent[i] = value;
  } else (parent as Tree)[key] = value;
}
