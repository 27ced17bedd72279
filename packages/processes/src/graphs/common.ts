// Argument checks and loops shared by the graphs.
import { ConfigError, ShapeError, brief, sizeOf, type Nd, type Rows } from '@dlm/core';

/** ConfigError naming `op` and `arg` unless every id is an integer in [0, dim). */
export function checkTokens(
  op: string,
  arg: string,
  ids: Nd<Int32Array> | { data: ArrayLike<number>; shape: readonly number[] },
  dim: number,
): void {
  if (ids.shape.length < 1)
    throw new ShapeError({ op, arg, expected: 'an array of rank ≥ 1 ([B, L])', got: `shape [${ids.shape}]` });
  if (ids.data.length !== sizeOf(ids.shape))
    throw new ShapeError({
      op,
      arg,
      expected: `${sizeOf(ids.shape)} values for shape [${ids.shape}]`,
      got: `${ids.data.length}`,
    });
  for (let p = 0; p < ids.data.length; p++) {
    const v = ids.data[p]!;
    if (!(Number.isInteger(v) && v >= 0 && v < dim))
      throw new ConfigError({ op, arg, expected: `token ids in [0, ${dim})`, got: `${brief(v)} at flat index ${p}` });
  }
}

/**
 * σ per position from σ per row ([B] or [B, 1], the reference's σ[:, None]) or per position ([B, L]).
 * Values must be finite and ≥ 0.
 */
export function sigmaPerPosition(
  op: string,
  arg: string,
  sigma: ArrayLike<number>,
  shape: readonly number[],
): Float64Array {
  const n = sizeOf(shape);
  const rows = shape[0]!;
  const out = new Float64Array(n);
  if (sigma.length === n) for (let p = 0; p < n; p++) out[p] = sigma[p]!;
  else if (sigma.length === rows) {
    const per = n / rows;
    for (let p = 0; p < n; p++) out[p] = sigma[Math.floor(p / per)]!;
  } else {
    throw new ShapeError({
      op,
      arg,
      expected: `one value per row (${rows}) or per position (${n}) of [${shape}]`,
      got: `${sigma.length} values`,
    });
  }
  for (let p = 0; p < n; p++) {
    if (!(Number.isFinite(out[p]!) && out[p]! >= 0))
      throw new ConfigError({ op, arg, expected: 'finite values ≥ 0', got: `${brief(out[p])} at position ${p}` });
  }
  return out;
}

/** Checks `x` [..., ] against `vectors` [..., D]: same leading shape, last axis D. */
export function checkVectors(
  op: string,
  xArg: string,
  xShape: readonly number[],
  vArg: string,
  vectors: Rows,
  dim: number,
): void {
  const lead = vectors.shape.slice(0, -1);
  if (
    vectors.shape[vectors.shape.length - 1] !== dim ||
    lead.length !== xShape.length ||
    lead.some((d, k) => d !== xShape[k])
  ) {
    throw new ShapeError({
      op,
      arg: `${xArg} and ${vArg}`,
      expected: `${vArg} of shape [${[...xShape, dim]}] for ${xArg} [${xShape}]`,
      got: `[${vectors.shape}]`,
    });
  }
  if (vectors.data.length !== sizeOf(vectors.shape))
    throw new ShapeError({ op, arg: vArg, expected: `${sizeOf(vectors.shape)} values`, got: `${vectors.data.length}` });
}

/** Leading shape of [..., D] vectors with last axis D (rank ≥ 2). */
export function leadOf(op: string, arg: string, v: Rows, dim: number): number[] {
  if (v.shape.length < 2 || v.shape[v.shape.length - 1] !== dim)
    throw new ShapeError({ op, arg, expected: `shape [B, L, ${dim}]`, got: `[${v.shape}]` });
  if (v.data.length !== sizeOf(v.shape))
    throw new ShapeError({ op, arg, expected: `${sizeOf(v.shape)} values`, got: `${v.data.length}` });
  return v.shape.slice(0, -1);
}

/** The reference's sample_transition rule: position p moves when u_p < 1 − e^{−σ_p}; a moved position takes `to(p)`. */
export function moveWhere(
  op: string,
  i: Nd<Int32Array>,
  sigma: Float64Array,
  uniform: ArrayLike<number>,
  to: (p: number) => number,
): Nd<Int32Array> {
  if (uniform.length !== i.data.length)
    throw new ShapeError({
      op,
      arg: 'draws.uniform',
      expected: `[${i.shape}] = ${i.data.length} values`,
      got: `${uniform.length}`,
    });
  const out = new Int32Array(i.data.length);
  for (let p = 0; p < out.length; p++) {
    const u = uniform[p]!;
    if (!(u >= 0 && u <= 1))
      throw new ConfigError({
        op,
        arg: 'draws.uniform',
        expected: 'values in [0, 1]',
        got: `${brief(u)} at position ${p}`,
      });
    out[p] = u < 1 - Math.exp(-sigma[p]!) ? to(p) : i.data[p]!;
  }
  return { data: out, shape: [...i.shape] };
}

/** Graph.reverse_rate: r = transp_rate(i) ⊙ score, then r[i] = 0 and r[i] = −Σ_v r[v]. */
export function reverseRateFrom(transpRate: Nd<Float64Array>, i: Nd<Int32Array>, score: Rows): Nd<Float64Array> {
  const D = transpRate.shape[transpRate.shape.length - 1]!;
  const out = new Float64Array(transpRate.data.length);
  for (let p = 0; p < i.data.length; p++) {
    const o = p * D;
    for (let v = 0; v < D; v++) out[o + v] = transpRate.data[o + v]! * score.data[o + v]!;
    out[o + i.data[p]!] = 0;
    let s = 0;
    for (let v = 0; v < D; v++) s += out[o + v]!;
    out[o + i.data[p]!] = -s;
  }
  return { data: out, shape: [...transpRate.shape] };
}

/** Ids [n] in [0, dim) from draws, checked. */
export function idsFrom(
  op: string,
  arg: string,
  ids: ArrayLike<number> | undefined,
  n: number,
  dim: number,
): ArrayLike<number> {
  if (ids === undefined) throw new ConfigError({ op, arg, expected: `${n} ids in [0, ${dim})` }, 'is missing');
  if (ids.length !== n) throw new ShapeError({ op, arg, expected: `${n} ids`, got: `${ids.length}` });
  checkTokens(op, arg, { data: ids, shape: [n] }, dim);
  return ids;
}
