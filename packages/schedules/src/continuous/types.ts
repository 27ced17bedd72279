// A continuous noise schedule in SEDD/MDLM form: total noise σ̄(t) and its rate dσ̄/dt, t ∈ [0, 1],
// in float64. The keep-probability view is α(t) = e^{−σ̄(t)} and the move chance 1 − α(t).
import { assertInRange } from '@dlm/core';

export interface ContinuousSchedule {
  readonly name: string;
  totalNoise(t: number): number;
  rate(t: number): number;
}

export function checkT(op: string, t: number): void {
  assertInRange(op, 't', t, 0, 1);
}

/** α(t) = e^{−σ̄(t)}. */
export function alpha(s: ContinuousSchedule, t: number): number {
  return Math.exp(-s.totalNoise(t));
}

/** 1 − α(t) = −expm1(−σ̄(t)) (the probability that a token has moved / is masked). */
export function moveChance(s: ContinuousSchedule, t: number): number {
  return -Math.expm1(-s.totalNoise(t));
}
