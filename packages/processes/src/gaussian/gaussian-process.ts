// The Gaussian embedding-diffusion forward process of Diffusion-LM / DiffuSeq on host float64:
// q(x_t | x_0), its mean/variance, and the posterior q(x_{t−1} | x_t, x_0), with DiffuSeq's
// partial-noising mask (0 = source / condition position, kept equal to x_0; 1 = noised).
// Source: XiangLi1999/Diffusion-LM improved-diffusion/improved_diffusion/gaussian_diffusion.py
// (q_sample, q_mean_variance, q_posterior_mean_variance, _extract_into_tensor) and
// Shark-NLP/DiffuSeq diffuseq/gaussian_diffusion.py:q_sample(mask).
//
// Schedule coefficients are looked up per batch row through `coef()`, which rounds them to
// float32 by default exactly as the reference's _extract_into_tensor(...).float() does; the
// products with the data stay float64. The tfjs path (q-sample-tf.ts) uses the SAME `coef()`
// lookups, so which coefficient multiplies what is defined once, here.
// Timesteps t are one per batch row ([B]) or one per position ([B, L], row-major, flat): AR-Diffusion's
// position-dependent time (microsoft/ProphetNet AR-diffusion/model_utils/gaussian_diffusion.py @7f91e55, where
// _extract_into_tensor indexes the tables with t [bs, seq_len]). A coefficient c[g] then multiplies the g-th group
// of x's elements: a row [L, D] for t [B], a position [D] for t [B, L]; with L = 1 both read the same.
import { ConfigError, ShapeError, assertSameShape, brief, sizeOf, type Nd } from '@dlm/core';
import {
  allTimesteps,
  discreteBetaSchedule,
  extractCoef,
  type CoefDtype,
  type DiffusionTableName,
  type DiscreteBetaSchedule,
} from '@dlm/schedules';

export interface GaussianProcessOptions {
  /** 'float32' (default) = the reference's coefficient cast; 'float64' = exact tables. */
  coefDtype?: CoefDtype;
  /** Pass t·1000/T to the model instead of t (rescale_timesteps, on in both references). */
  rescaleTimesteps?: boolean;
}

/** A mask over positions: [B, L] row-major, 0 = keep x_0 (source), anything else = noised. */
export type PositionMask = Nd<Int32Array>;

export class GaussianEmbeddingProcess {
  readonly schedule: DiscreteBetaSchedule;
  readonly coefDtype: CoefDtype;
  readonly rescaleTimesteps: boolean;

  constructor(schedule: DiscreteBetaSchedule, opts: GaussianProcessOptions = {}) {
    this.schedule = schedule;
    this.coefDtype = opts.coefDtype ?? 'float32';
    this.rescaleTimesteps = opts.rescaleTimesteps ?? true;
  }

  /**
   * As the training scripts build it: get_named_beta_schedule(name, T) wrapped in a
   * SpacedDiffusion that keeps every timestep (β recomputed from ᾱ).
   */
  static named(
    name: string,
    T: number,
    opts: GaussianProcessOptions & { useTimesteps?: Iterable<number> } = {},
  ): GaussianEmbeddingProcess {
    const schedule = discreteBetaSchedule(name, T, { useTimesteps: opts.useTimesteps ?? allTimesteps(T) });
    return new GaussianEmbeddingProcess(schedule, opts);
  }

  get numTimesteps(): number {
    return this.schedule.numTimesteps;
  }

  /** table[t_i] for each entry of t ([B] or [B, L]), float32-rounded unless coefDtype is 'float64'. Validates t. */
  coef(name: DiffusionTableName, t: ArrayLike<number>, op = 'GaussianEmbeddingProcess.coef'): Float64Array {
    return extractCoef(this.schedule.tables[name], t, this.coefDtype, op);
  }

  /**
   * Throws unless t holds integer timesteps in [0, T): B of them (one per row) or, when the data has `positions`
   * L (x [B, L, D]), B·L (one per position, row-major).
   */
  checkTimesteps(t: ArrayLike<number>, B: number, op: string, positions?: number): void {
    const perPosition = positions !== undefined && t.length === B * positions;
    if (t.length !== B && !perPosition) {
      const expected =
        positions === undefined
          ? `${B} timesteps (one per batch row)`
          : `${B} timesteps (one per batch row) or ${B * positions} ([B, L]: one per position)`;
      throw new ShapeError({ op, arg: 't', expected, got: `${t.length}` });
    }
    extractCoef(this.schedule.tables.betas, t, 'float64', op);
  }

  /**
   * What the model receives for timestep t (respace.py:_WrappedModel): the original timestep
   * timestep_map[t], times 1000/T_original in float32 when rescaleTimesteps. t's shape: [B] or [B, L]
   */
  modelTimesteps(t: ArrayLike<number>, op = 'GaussianEmbeddingProcess.modelTimesteps'): Float64Array {
    const mapped = extractCoef(Float64Array.from(this.schedule.timestepMap), t, 'float64', op);
    if (!this.rescaleTimesteps) return mapped;
    const scale = Math.fround(1000.0 / this.schedule.originalNumTimesteps);
    return mapped.map((s) => Math.fround(Math.fround(s) * scale));
  }

  /**
   * x_t = sqrt(ᾱ_t)·x_0 + sqrt(1−ᾱ_t)·ε, then x_t = x_0 where mask == 0 (DiffuSeq).
   * x0, noise: [B, L, D]; t: [B] or [B, L]; mask: [B, L] or undefined (everything noised).
   */
  qSample(x0: Nd, t: ArrayLike<number>, noise: Nd, mask?: PositionMask): Nd {
    const op = 'gaussian.qSample';
    assertSameShape(op, 'x_start', x0.shape, 'noise', noise.shape);
    const B = batchOf(op, x0);
    this.checkTimesteps(t, B, op, positionsOf(x0));
    const a = this.coef('sqrtAlphasCumprod', t, op);
    const s = this.coef('sqrtOneMinusAlphasCumprod', t, op);
    const out = combineRows(a, x0, s, noise);
    return mask ? anchorMasked(op, mask, out, x0) : out;
  }

  /** q(x_t | x_0): mean sqrt(ᾱ_t)·x_0, variance 1−ᾱ_t, log-variance log(1−ᾱ_t), all x0's shape; t [B] or [B, L]. */
  qMeanVariance(x0: Nd, t: ArrayLike<number>): { mean: Nd; variance: Nd; logVariance: Nd } {
    const op = 'gaussian.qMeanVariance';
    const B = batchOf(op, x0);
    this.checkTimesteps(t, B, op, positionsOf(x0));
    return {
      mean: scaleRows(this.coef('sqrtAlphasCumprod', t, op), x0),
      variance: broadcastRows(this.coef('oneMinusAlphasCumprod', t, op), x0.shape),
      logVariance: broadcastRows(this.coef('logOneMinusAlphasCumprod', t, op), x0.shape),
    };
  }

  /**
   * q(x_{t−1} | x_t, x_0): mean coef1_t·x_0 + coef2_t·x_t; posterior variance and clipped log-variance broadcast.
   * t [B] or [B, L].
   */
  qPosteriorMeanVariance(x0: Nd, xt: Nd, t: ArrayLike<number>): { mean: Nd; variance: Nd; logVarianceClipped: Nd } {
    const op = 'gaussian.qPosteriorMeanVariance';
    assertSameShape(op, 'x_start', x0.shape, 'x_t', xt.shape);
    const B = batchOf(op, x0);
    this.checkTimesteps(t, B, op, positionsOf(x0));
    return {
      mean: combineRows(this.coef('posteriorMeanCoef1', t, op), x0, this.coef('posteriorMeanCoef2', t, op), xt),
      variance: broadcastRows(this.coef('posteriorVariance', t, op), x0.shape),
      logVarianceClipped: broadcastRows(this.coef('posteriorLogVarianceClipped', t, op), x0.shape),
    };
  }
}

/** Batch size of a [B, …] array; rank ≥ 2 required. */
export function batchOf(op: string, x: Nd): number {
  if (x.shape.length < 2)
    throw new ShapeError({ op, arg: 'x', expected: 'shape [B, L, D]', got: `[${x.shape.join(',')}]` });
  return x.shape[0]!;
}

/** L of x [B, L, D] (per-position timesteps are allowed), undefined for other ranks (per-row only). */
export function positionsOf(x: { shape: readonly number[] }): number | undefined {
  return x.shape.length === 3 ? x.shape[1] : undefined;
}

/** out[g, …] = a[g]·x[g, …] + c[g]·y[g, …] (float64): g a row when a is [B], a position when a is [B, L]. */
export function combineRows(a: Float64Array, x: Nd, c: Float64Array, y: Nd): Nd {
  const n = x.data.length / a.length;
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    const b = Math.floor(i / n);
    out[i] = a[b]! * x.data[i]! + c[b]! * y.data[i]!;
  }
  return { data: out, shape: [...x.shape] };
}

/** out[g, …] = a[g]·x[g, …] (groups as in combineRows). */
export function scaleRows(a: Float64Array, x: Nd): Nd {
  const n = x.data.length / a.length;
  return { data: x.data.map((v, i) => a[Math.floor(i / n)]! * v), shape: [...x.shape] };
}

/** A [B] (or [B, L]) vector broadcast to `shape` (leading axes B or B, L). */
export function broadcastRows(a: Float64Array, shape: readonly number[]): Nd {
  const size = sizeOf(shape);
  const n = size / a.length;
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = a[Math.floor(i / n)]!;
  return { data: out, shape: [...shape] };
}

/** where(mask == 0, anchor, x) with mask [B, L] broadcast over the last axis of x [B, L, D]. */
export function anchorMasked(op: string, mask: PositionMask, x: Nd, anchor: Nd): Nd {
  checkPositionMask(op, mask, x.shape);
  assertSameShape(op, 'x', x.shape, 'x_start', anchor.shape);
  const D = x.shape[x.shape.length - 1]!;
  const out = Float64Array.from(x.data);
  for (let p = 0; p < mask.data.length; p++) {
    if (mask.data[p] !== 0) continue;
    for (let d = 0; d < D; d++) out[p * D + d] = anchor.data[p * D + d]!;
  }
  return { data: out, shape: [...x.shape] };
}

/** The mask must be [B, L] for x [B, L, D], with 0/1 entries. */
export function checkPositionMask(op: string, mask: PositionMask, xShape: readonly number[]): void {
  const want = xShape.slice(0, -1);
  if (mask.shape.length !== want.length || mask.shape.some((d, i) => d !== want[i])) {
    throw new ShapeError({
      op,
      arg: 'mask',
      expected: `shape [${want.join(',')}] (x without its embedding axis)`,
      got: `[${mask.shape.join(',')}]`,
    });
  }
  for (const v of mask.data) {
    if (v !== 0 && v !== 1)
      throw new ConfigError({ op, arg: 'mask', expected: '0 (source, kept) or 1 (target, noised)', got: brief(v) });
  }
}
