// Shared pieces of the SEDD steps: argument checks, σ per row, and the sampling score
// exp(model(x, σ)) (model/utils.py:get_score_fn with sampling=True returns score.exp()).
import { ConfigError, ShapeError, brief, type Nd } from '@dlm/core';
import type { SeddSamplerContext } from './types.ts';

/** [B, L] of x, with x's ids checked against the graph's D. */
export function checkX(op: string, ctx: SeddSamplerContext, x: Nd<Int32Array>): [number, number] {
  if (x.shape.length !== 2)
    throw new ShapeError({ op, arg: 'x', expected: 'a [B, L] array', got: `shape [${x.shape}]` });
  const D = ctx.graph.dim;
  for (let p = 0; p < x.data.length; p++) {
    const v = x.data[p]!;
    if (!(Number.isInteger(v) && v >= 0 && v < D))
      throw new ConfigError({
        op,
        arg: 'x',
        expected: `token ids in [0, ${D})`,
        got: `${brief(v)} at flat index ${p}`,
      });
  }
  return x.shape as [number, number];
}

/** Times [B] (a [B, 1] array flattened), each in [0, 1]. */
export function checkTimes(op: string, t: ArrayLike<number>, b: number): Float64Array {
  if (t.length !== b) throw new ShapeError({ op, arg: 't', expected: `${b} times (one per row)`, got: `${t.length}` });
  const out = Float64Array.from(t);
  for (const v of out)
    if (!(v >= 0 && v <= 1)) throw new ConfigError({ op, arg: 't', expected: 'times in [0, 1]', got: brief(v) });
  return out;
}

export function checkStepSize(op: string, arg: string, dt: number): void {
  if (!(Number.isFinite(dt) && dt > 0))
    throw new ConfigError({ op, arg, expected: 'a finite number > 0', got: brief(dt) });
}

/** exp(model(x, σ)) as float64 [B·L·D], checking the model's output size. */
export function scoreOf(op: string, ctx: SeddSamplerContext, x: Nd<Int32Array>, sigma: Float64Array): Float64Array {
  const [b, l] = x.shape as [number, number];
  const D = ctx.graph.dim;
  const logScore = ctx.model(x, Float64Array.from(sigma));
  if (logScore.length !== b * l * D) {
    throw new ShapeError({
      op,
      arg: 'model output',
      expected: `a log score [${b}, ${l}, ${D}] = ${b * l * D} values`,
      got: `${logScore.length} values`,
    });
  }
  return Float64Array.from(logScore, Math.exp);
}

/** t − dt, with a round-off negative (> −1e-12) taken as 0 so the last step of a t ∈ [0, 1] grid stays valid. */
export function previousTime(t: number, dt: number): number {
  const s = t - dt;
  return s < 0 && s > -1e-12 ? 0 : s;
}
