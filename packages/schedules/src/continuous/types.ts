// A continuous noise schedule in SEDD/MDLM form: total noise σ̄(t) and its rate dσ̄/dt, t ∈ [0, 1],
// in float64 (SEDD noise_lib.py:Noise.forward returns (total_noise(t), rate_noise(t))).
// The keep-probability view is α(t) = e^{−σ̄(t)} and the move chance 1 − α(t) (the probability that a
// token has been masked / resampled by time t).
import { ConfigError, assertInRange, brief } from '@dlm/core';

export interface NoiseSchedule {
  readonly name: string;
  /** σ̄(t). */
  totalNoise(t: number): number;
  /** dσ̄/dt at t. */
  rate(t: number): number;
  /** α(t) = e^{−σ̄(t)} ∈ (0, 1]. */
  alpha(t: number): number;
  /** 1 − α(t), computed as −expm1(−σ̄(t)). */
  moveChance(t: number): number;
  /** MDLM `importance_sampling_transformation(t)`, only where the reference defines it (loglinear, linear). */
  importanceSamplingTransformation?(t: number): number;
}

export function checkT(op: string, t: number): void {
  assertInRange(op, 't', t, 0, 1);
}

/**
 * Wraps the two closed forms of a schedule: every method refuses t outside [0, 1] with a ConfigError
 * naming `<name>.<method>` and t; α and the move chance are derived from σ̄.
 */
export function makeSchedule<E extends object>(
  name: string,
  f: { totalNoise(t: number): number; rate(t: number): number },
  extras: E = {} as E,
): NoiseSchedule & E {
  const total = (op: string, t: number): number => {
    checkT(`${name}.${op}`, t);
    return f.totalNoise(t);
  };
  return {
    name,
    totalNoise: (t: number) => total('totalNoise', t),
    rate(t: number) {
      checkT(`${name}.rate`, t);
      return f.rate(t);
    },
    alpha: (t: number) => Math.exp(-total('alpha', t)),
    moveChance: (t: number) => -Math.expm1(-total('moveChance', t)),
    ...extras,
  };
}

/** Refuses constructor parameters the schedule does not use (a key that is not used is an error) and non-numbers. */
export function checkParams(op: string, params: Readonly<Record<string, unknown>>, allowed: readonly string[]): void {
  for (const [k, v] of Object.entries(params)) {
    if (!allowed.includes(k)) {
      throw new ConfigError(
        { op, arg: k, expected: allowed.length ? `one of ${allowed.join(', ')}` : 'no parameters' },
        'is not a parameter of this schedule',
      );
    }
    if (v !== undefined && typeof v !== 'number')
      throw new ConfigError({ op, arg: k, expected: 'a number', got: brief(v) });
  }
}

/** α(t) = e^{−σ̄(t)} of anything with a total noise (kept for callers holding a bare σ̄). */
export function alpha(s: { totalNoise(t: number): number }, t: number): number {
  return Math.exp(-s.totalNoise(t));
}

/** 1 − α(t) = −expm1(−σ̄(t)) (the probability that a token has moved / is masked). */
export function moveChance(s: { totalNoise(t: number): number }, t: number): number {
  return -Math.expm1(-s.totalNoise(t));
}
