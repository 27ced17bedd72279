// Host arrays in row-major order with a shape: what float64 math (schedules, sampler
// updates, categorical sampling) runs on. tfjs has no float64, so these stay on the host.
import { ShapeError, ConfigError, brief } from './errors.ts';

export type HostData = Float64Array | Int32Array | Uint8Array;

export interface Nd<T extends HostData = Float64Array> {
  readonly data: T;
  readonly shape: readonly number[];
}

export type NestedNumbers = number | string | boolean | null | NestedNumbers[];

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Shape of a rectangular nested list; throws ShapeError on ragged input. */
export function shapeOfNested(x: NestedNumbers, op = 'shapeOfNested', arg = 'value'): number[] {
  const shape: number[] = [];
  let cur: NestedNumbers = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0] as NestedNumbers;
  }
  const check = (v: NestedNumbers, depth: number): void => {
    if (depth === shape.length) {
      if (Array.isArray(v))
        throw new ShapeError({ op, arg, expected: `a rectangular array of shape [${shape}]` }, 'is ragged');
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new ShapeError({ op, arg, expected: `a rectangular array of shape [${shape}]` }, 'is ragged');
    }
    for (const e of v) check(e, depth + 1);
  };
  check(x, 0);
  return shape;
}

/** Scalar from JSON: numbers, booleans, and the strings "Infinity", "-Infinity", "NaN". */
export function jsonScalar(v: NestedNumbers, op = 'jsonScalar'): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && (v === 'Infinity' || v === '-Infinity' || v === 'NaN')) return Number(v);
  throw new ConfigError({
    op,
    arg: 'value',
    expected: 'a number, boolean or "Infinity"/"-Infinity"/"NaN"',
    got: brief(v),
  });
}

function flatten(x: NestedNumbers, out: number[], op: string): void {
  if (Array.isArray(x)) for (const e of x) flatten(e, out, op);
  else out.push(jsonScalar(x, op));
}

export function f64(x: NestedNumbers, op = 'f64'): Nd<Float64Array> {
  const shape = shapeOfNested(x, op);
  const flat: number[] = [];
  flatten(x, flat, op);
  return { data: Float64Array.from(flat), shape };
}

export function i32(x: NestedNumbers, op = 'i32'): Nd<Int32Array> {
  const shape = shapeOfNested(x, op);
  const flat: number[] = [];
  flatten(x, flat, op);
  for (const v of flat) {
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
      throw new ConfigError({ op, arg: 'value', expected: 'int32 integers', got: brief(v) });
    }
  }
  return { data: Int32Array.from(flat), shape };
}

export function nd<T extends HostData>(data: T, shape: readonly number[], op = 'nd'): Nd<T> {
  if (sizeOf(shape) !== data.length) {
    throw new ShapeError({
      op,
      arg: 'data',
      expected: `${sizeOf(shape)} elements for shape [${shape}]`,
      got: `${data.length}`,
    });
  }
  return { data, shape: [...shape] };
}

export function zeros(shape: readonly number[]): Nd<Float64Array> {
  return { data: new Float64Array(sizeOf(shape)), shape: [...shape] };
}

/** Back to nested lists (for JSON, comparisons and printing). */
export function toNested(x: Nd<HostData>): NestedNumbers {
  const { data, shape } = x;
  if (shape.length === 0) return data[0] ?? null;
  let idx = 0;
  const build = (depth: number): NestedNumbers => {
    const n = shape[depth]!;
    const out: NestedNumbers[] = [];
    for (let i = 0; i < n; i++) out.push(depth === shape.length - 1 ? data[idx++]! : build(depth + 1));
    return out;
  };
  return build(0);
}
