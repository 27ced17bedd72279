// Walking a zod 4 schema alongside a config tree: which keys exist at a path, which schema
// governs a value, and a short human description of what a schema expects. Used for
// unknown-key errors, `--set` path checks and type messages. Reads zod's public `_zod.def`.
import { z } from 'zod';

type Def = { type: string; [k: string]: unknown };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Kind labels for discriminated unions built by `componentSlot` ("schedule", "sampler"). */
export const slotKinds = new WeakMap<object, string>();

/** Strips wrappers that do not change the shape of the value: optional, default, nullable, … */
export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const d = defOf(s);
    if (
      ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional', 'success'].includes(d.type)
    ) {
      s = d.innerType as z.ZodType;
    } else if (d.type === 'pipe') {
      s = d.in as z.ZodType;
    } else if (d.type === 'lazy') {
      s = (d.getter as () => z.ZodType)();
    } else return s;
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Discriminated-union facts, or undefined if `schema` is not one. */
export function discriminatorOf(
  schema: z.ZodType,
): { key: string; options: Map<string, z.ZodType>; kind: string } | undefined {
  const s = unwrap(schema);
  const d = defOf(s);
  if (d.type !== 'union' || typeof d.discriminator !== 'string') return undefined;
  const key = d.discriminator;
  const options = new Map<string, z.ZodType>();
  for (const opt of d.options as z.ZodType[]) {
    const shape = objectShape(opt);
    const lit = shape?.[key];
    if (!lit) continue;
    for (const v of literalValues(lit)) options.set(String(v), opt);
  }
  return { key, options, kind: slotKinds.get(s) ?? 'variant' };
}

function literalValues(schema: z.ZodType): unknown[] {
  const d = defOf(unwrap(schema));
  if (d.type === 'literal') return d.values as unknown[];
  if (d.type === 'enum') return Object.values(d.entries as Record<string, unknown>);
  return [];
}

/** The allowed strings of an enum or string-literal schema (after unwrapping), or undefined. */
export function enumOptions(schema: z.ZodType): string[] | undefined {
  const d = defOf(unwrap(schema));
  if (d.type !== 'enum' && d.type !== 'literal') return undefined;
  return literalValues(schema).filter((v): v is string => typeof v === 'string');
}

/** The shape of an object schema (after unwrapping), or undefined. */
export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const d = defOf(unwrap(schema));
  return d.type === 'object' ? (d.shape as Record<string, z.ZodType>) : undefined;
}

export type Child =
  | { ok: true; schema: z.ZodType }
  | { ok: false; reason: 'unknown-key'; valid: string[]; where: string }
  | { ok: false; reason: 'unknown-variant'; key: string; valid: string[]; kind: string; got: unknown }
  | { ok: false; reason: 'not-a-container'; expected: string };

/**
 * The schema governing `parent[key]`, where `parent` is validated by `schema` and `value` is the
 * current value of the parent in the config tree (used to pick a discriminated-union branch).
 */
export function childSchema(schema: z.ZodType, key: string, value: unknown): Child {
  const s = unwrap(schema);
  const d = defOf(s);
  const disc = discriminatorOf(s);
  if (disc) {
    const names = [...disc.options.keys()];
    if (key === disc.key) return { ok: true, schema: enumLike(names) };
    const chosen = isPlainObject(value) ? value[disc.key] : undefined;
    const branch = disc.options.get(String(chosen));
    if (!branch)
      return { ok: false, reason: 'unknown-variant', key: disc.key, valid: names, kind: disc.kind, got: chosen };
    return childSchema(branch, key, value);
  }
  switch (d.type) {
    case 'object': {
      const shape = d.shape as Record<string, z.ZodType>;
      if (Object.hasOwn(shape, key)) return { ok: true, schema: shape[key]! };
      const catchall = d.catchall as z.ZodType | undefined;
      if (catchall && !['never', 'unknown', 'any'].includes(defOf(catchall).type))
        return { ok: true, schema: catchall };
      return { ok: false, reason: 'unknown-key', valid: Object.keys(shape), where: 'object' };
    }
    case 'record': {
      const keyDef = defOf(unwrap(d.keyType as z.ZodType));
      if (keyDef.type === 'enum') {
        const valid = Object.values(keyDef.entries as Record<string, string>).map(String);
        if (!valid.includes(key)) return { ok: false, reason: 'unknown-key', valid, where: 'record' };
      }
      return { ok: true, schema: d.valueType as z.ZodType };
    }
    case 'array':
      if (/^\d+$/.test(key)) return { ok: true, schema: d.element as z.ZodType };
      return { ok: false, reason: 'not-a-container', expected: 'an array index' };
    case 'tuple': {
      const items = d.items as z.ZodType[];
      const i = /^\d+$/.test(key) ? Number(key) : -1;
      if (i >= 0 && i < items.length) return { ok: true, schema: items[i]! };
      if (i >= 0 && d.rest) return { ok: true, schema: d.rest as z.ZodType };
      return { ok: false, reason: 'not-a-container', expected: `a tuple index below ${items.length}` };
    }
    case 'union': {
      const valid = new Set<string>();
      for (const opt of d.options as z.ZodType[]) {
        const c = childSchema(opt, key, value);
        if (c.ok) return c;
        if (c.reason === 'unknown-key') c.valid.forEach((k) => valid.add(k));
      }
      return { ok: false, reason: 'unknown-key', valid: [...valid], where: 'union' };
    }
    default:
      return { ok: false, reason: 'not-a-container', expected: describeSchema(s) };
  }
}

function enumLike(names: string[]): z.ZodType {
  return z.enum(names as [string, ...string[]]);
}

/** A short description of what `schema` accepts: "number", "integer > 0", "one of a, b", … */
export function describeSchema(schema: z.ZodType): string {
  const outer = defOf(schema);
  const suffix = outer.type === 'nullable' ? ' or null' : '';
  const s = unwrap(schema);
  const d = defOf(s);
  const disc = discriminatorOf(s);
  if (disc) return `a ${disc.kind} (${disc.key}: one of ${[...disc.options.keys()].join(', ')})`;
  const checks = ((d.checks as { _zod: { def: Record<string, unknown> } }[] | undefined) ?? []).map((c) => c._zod.def);
  const bounds = checks
    .map((c) => {
      if (c.check === 'greater_than') return `${c.inclusive ? '>=' : '>'} ${String(c.value)}`;
      if (c.check === 'less_than') return `${c.inclusive ? '<=' : '<'} ${String(c.value)}`;
      return '';
    })
    .filter(Boolean);
  const withBounds = (base: string) => (bounds.length ? `${base} ${bounds.join(' and ')}` : base) + suffix;
  switch (d.type) {
    case 'number':
      return withBounds(
        d.format === 'safeint' || checks.some((c) => c.format === 'safeint') ? 'an integer' : 'a number',
      );
    case 'string':
      return `a string${suffix}`;
    case 'boolean':
      return `a boolean${suffix}`;
    case 'enum':
      return `one of ${Object.values(d.entries as Record<string, unknown>)
        .map(String)
        .join(', ')}${suffix}`;
    case 'literal':
      return `${(d.values as unknown[]).map((v) => JSON.stringify(v)).join(' or ')}${suffix}`;
    case 'array':
      return `a list of ${describeSchema(d.element as z.ZodType).replace(/^an? /, '')}s${suffix}`;
    case 'tuple':
      return `a list of ${(d.items as unknown[]).length} items${suffix}`;
    case 'object':
      return `a mapping with keys ${Object.keys(d.shape as object).join(', ')}${suffix}`;
    case 'record':
      return `a mapping${suffix}`;
    case 'union':
      return (d.options as z.ZodType[]).map(describeSchema).join(' or ') + suffix;
    default:
      return `${d.type}${suffix}`;
  }
}

/** A short description of a value's type for "got …" messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing (the key is missing)';
  if (Array.isArray(v)) return `a list ${JSON.stringify(v).slice(0, 60)}`;
  if (isPlainObject(v)) return `a mapping with keys ${Object.keys(v).join(', ') || '(none)'}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `the integer ${v}` : `the number ${v}`;
  return `${typeof v} ${String(v)}`;
}
