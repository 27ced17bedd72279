// Strict validation of a merged config tree against a zod schema.
//
// Two passes: (1) our own walk finds every key the schema does not have (whether or not the
// component author used z.strictObject) and every unknown component name, each with the
// nearest valid key or name; (2) zod checks types, ranges and required keys and fills
// defaults. Every issue names the file that set the value (provenance), the dotted path,
// what was expected and what was found.
import type { z } from 'zod';
import { ConfigIssuesError, type ConfigIssue } from './issues.ts';
import { getPath, sourceOf, type Provenance } from './merge.ts';
import {
  childSchema,
  describeSchema,
  describeValue,
  discriminatorOf,
  enumOptions,
  isPlainObject,
  unwrap,
} from './schema-walk.ts';
import { didYouMean, nearest } from '@dlm/core';

type Def = { type: string; [k: string]: unknown };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

interface Ctx {
  prov: Provenance;
  rootFile: string;
  issues: ConfigIssue[];
}

const join = (parts: readonly string[]) => parts.join('.');

function push(ctx: Ctx, parts: readonly string[], issue: Omit<ConfigIssue, 'file' | 'path'>): void {
  const path = join(parts);
  ctx.issues.push({ file: sourceOf(ctx.prov, path, ctx.rootFile), path, ...issue });
}

function walkUnknown(value: unknown, schema: z.ZodType, parts: string[], ctx: Ctx): void {
  if (value === undefined || value === null) return;
  const s = unwrap(schema);
  const disc = discriminatorOf(s);
  if (disc) {
    if (!isPlainObject(value)) return; // zod reports the type
    const names = [...disc.options.keys()];
    const got = value[disc.key];
    const branch = disc.options.get(String(got));
    if (got === undefined) {
      push(ctx, [...parts, disc.key], {
        problem: `is missing: a ${disc.kind} is chosen by its ${disc.key}`,
        expected: `one of ${names.join(', ')}`,
        got: describeValue(got),
      });
      return;
    }
    if (!branch) {
      const guess = didYouMean(String(got), names);
      const problem = `is not a known ${disc.kind}${guess === undefined ? '' : ` (did you mean ${guess}?)`}`;
      push(ctx, [...parts, disc.key], { problem, expected: `one of ${names.join(', ')}`, got: describeValue(got) });
      return;
    }
    walkUnknown(value, branch, parts, ctx);
    return;
  }
  const d = defOf(s);
  if ((d.type === 'object' || d.type === 'record') && isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const c = childSchema(s, k, value);
      if (c.ok) walkUnknown(v, c.schema, [...parts, k], ctx);
      else if (c.reason === 'unknown-key') {
        const where = parts.length ? `a key of ${join(parts)}` : 'a top-level key';
        push(ctx, [...parts, k], {
          problem: `is not a known key (nearest valid key: ${nearest(k, c.valid) ?? 'none'})`,
          expected: `${where}: ${c.valid.join(', ') || '(none)'}`,
          got: JSON.stringify(k),
        });
      }
    }
  } else if ((d.type === 'array' || d.type === 'tuple') && Array.isArray(value)) {
    value.forEach((v, i) => {
      const c = childSchema(s, String(i), value);
      if (c.ok) walkUnknown(v, c.schema, [...parts, String(i)], ctx);
    });
  } else if (d.type === 'union') {
    // Plain union: follow the first option whose container kind matches the value.
    for (const opt of d.options as z.ZodType[]) {
      const t = defOf(unwrap(opt)).type;
      const fits = isPlainObject(value)
        ? ['object', 'record', 'union'].includes(t) || !!discriminatorOf(opt)
        : Array.isArray(value)
          ? ['array', 'tuple'].includes(t)
          : false;
      if (fits) return walkUnknown(value, opt, parts, ctx);
    }
  }
}

/** The schema at `parts` (resolving component slots through `tree`), if it can be found. */
function schemaAt(schema: z.ZodType, parts: readonly (string | number)[], tree: unknown): z.ZodType | undefined {
  let s = schema;
  for (let i = 0; i < parts.length; i++) {
    const c = childSchema(s, String(parts[i]), getPath(tree, parts.slice(0, i).map(String)));
    if (!c.ok) return undefined;
    s = c.schema;
  }
  return s;
}

/** Validates `tree`; returns zod's output (defaults filled) or throws ConfigIssuesError. */
export function validateTree<S extends z.ZodType>(
  schema: S,
  tree: unknown,
  prov: Provenance,
  rootFile: string,
): z.output<S> {
  const ctx: Ctx = { prov, rootFile, issues: [] };
  walkUnknown(tree, schema, [], ctx);
  if (ctx.issues.length) throw new ConfigIssuesError('config', ctx.issues);
  const r = schema.safeParse(tree);
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const parts = issue.path.map(String);
    const got = getPath(tree, parts);
    const at = schemaAt(schema, parts, tree);
    const expected = at ? describeSchema(at) : undefined;
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        const valid = at ? Object.keys((defOf(unwrap(at)).shape as object | undefined) ?? {}) : [];
        push(ctx, [...parts, k], {
          problem: `is not a known key (nearest valid key: ${nearest(k, valid) ?? 'none'})`,
          expected: `a key of ${join(parts) || 'the root'}: ${valid.join(', ')}`,
          got: JSON.stringify(k),
        });
      }
    } else if (issue.code === 'invalid_type') {
      push(ctx, parts, {
        problem: got === undefined ? 'is required' : 'has the wrong type',
        expected: expected ?? issue.expected,
        got: describeValue(got),
      });
    } else {
      const guess = typeof got === 'string' && at ? didYouMean(got, enumOptions(at) ?? []) : undefined;
      const hint = guess === undefined ? '' : ` (did you mean ${guess}?)`;
      push(ctx, parts, { problem: `is invalid (${issue.message})${hint}`, expected, got: describeValue(got) });
    }
  }
  throw new ConfigIssuesError('config', ctx.issues);
}
