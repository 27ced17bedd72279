// A named discrete β schedule with all its derived float64 tables, optionally respaced, plus the
// coefficient lookup the Gaussian process uses (`extractCoef`, with the reference's float32 cast).
import { ConfigError, brief } from '@dlm/core';
import { discreteBetaSchedules } from './registry.ts';
import { diffusionTables, type DiffusionTables, type DiffusionTableName } from './tables.ts';
import { respaceBetas } from './respace.ts';

export interface DiscreteBetaSchedule {
  readonly name: string;
  /** Number of (possibly respaced) timesteps: the length of every table. */
  readonly numTimesteps: number;
  /** T of the base schedule (the model is called with t·1000/originalNumTimesteps). */
  readonly originalNumTimesteps: number;
  /** timestepMap[k] = original timestep of step k (identity without respacing). */
  readonly timestepMap: Int32Array;
  readonly tables: DiffusionTables;
}

export interface DiscreteBetaScheduleOptions {
  /**
   * Timesteps of the base schedule to keep (respace.py:SpacedDiffusion). Passing every timestep
   * reproduces the training scripts, which always build a SpacedDiffusion: β is then recomputed
   * as 1 − ᾱ_i/ᾱ_{i−1}, equal to the base β up to float64 rounding.
   */
  useTimesteps?: Iterable<number>;
}

/**
 * `discreteBetaSchedule('sqrt', 2000)`: β from get_named_beta_schedule and every array of
 * GaussianDiffusion.__init__ (README §2 of the reference fixtures names them).
 */
export function discreteBetaSchedule(
  name: string,
  T: number,
  opts: DiscreteBetaScheduleOptions = {},
): DiscreteBetaSchedule {
  const op = `discreteBetaSchedule(${JSON.stringify(name)})`;
  if (!Number.isInteger(T) || T < 2) {
    throw new ConfigError({ op, arg: 'num_timesteps', expected: 'an integer ≥ 2', got: brief(T) });
  }
  const base = discreteBetaSchedules.get(name)(T);
  if (opts.useTimesteps === undefined) {
    const identity = new Int32Array(T);
    for (let i = 0; i < T; i++) identity[i] = i;
    return { name, numTimesteps: T, originalNumTimesteps: T, timestepMap: identity, tables: diffusionTables(base, op) };
  }
  const baseTables = diffusionTables(base, op);
  const { betas, timestepMap } = respaceBetas(baseTables.alphasCumprod, opts.useTimesteps);
  return { name, numTimesteps: betas.length, originalNumTimesteps: T, timestepMap, tables: diffusionTables(betas, op) };
}

/** Every timestep 0 … T−1 (a SpacedDiffusion without respacing). */
export function allTimesteps(T: number): number[] {
  return Array.from({ length: T }, (_, i) => i);
}

/** 'float32' reproduces the reference's `_extract_into_tensor(...).float()`; 'float64' keeps full precision. */
export type CoefDtype = 'float32' | 'float64';

/**
 * table[t_b] for each batch row, as the reference's _extract_into_tensor: the selected float64
 * value is rounded to float32 (`.float()`) when dtype is 'float32', and then used in float64 math.
 * Throws ConfigError naming `op` and the argument unless every t_b is an integer in [0, T).
 */
export function extractCoef(
  table: Float64Array,
  t: ArrayLike<number>,
  dtype: CoefDtype,
  op = 'extractCoef',
  arg = 't',
): Float64Array {
  const out = new Float64Array(t.length);
  for (let b = 0; b < t.length; b++) {
    const s = t[b]!;
    if (!Number.isInteger(s) || s < 0 || s >= table.length) {
      throw new ConfigError({
        op,
        arg: `${arg}[${b}]`,
        expected: `an integer timestep in [0, ${table.length})`,
        got: brief(s),
      });
    }
    const v = table[s]!;
    out[b] = dtype === 'float32' ? Math.fround(v) : v;
  }
  return out;
}

/** Convenience: the named table of a schedule at timesteps t (see extractCoef). */
export function scheduleCoef(
  s: DiscreteBetaSchedule,
  name: DiffusionTableName,
  t: ArrayLike<number>,
  dtype: CoefDtype,
  op?: string,
): Float64Array {
  return extractCoef(s.tables[name], t, dtype, op);
}
