// LLaDA's Gumbel-max perturbation, in float64 (ML-GSAI/LLaDA:generate.py:add_gumbel_noise).
// The reference computes exp(logits) / (−log u)^temperature — the exponential race, i.e.
// argmax of the result is a sample from softmax(logits / temperature) — NOT logits + Gumbel.
// It runs in float64 because low-precision Gumbel noise lowers the effective temperature
// (arXiv 2409.02908; LLaDA issue #42 / PR #124). temperature 0 returns the logits unchanged.
import { ConfigError, brief, ShapeError } from '@dlm/core';

/**
 * @param logits    row-major [..., V] (any float array; read as float64)
 * @param uniforms  u in (0, 1), same size as logits; unused (may be omitted) when temperature is 0
 * @returns         float64 [..., V]: logits copied when temperature = 0, else exp(logits)/(−log u)^temperature
 */
export function addGumbelNoise(
  logits: ArrayLike<number>,
  temperature: number,
  uniforms?: ArrayLike<number>,
): Float64Array {
  const op = 'addGumbelNoise';
  if (!(Number.isFinite(temperature) && temperature >= 0)) {
    throw new ConfigError({
      op,
      arg: 'temperature',
      expected: 'a finite number >= 0 (0 = greedy)',
      got: brief(temperature),
    });
  }
  const out = Float64Array.from(logits as ArrayLike<number>);
  if (temperature === 0) return out;
  if (!uniforms || uniforms.length !== logits.length) {
    throw new ShapeError({
      op,
      arg: 'uniforms',
      expected: `${logits.length} uniforms (one per logit)`,
      got: uniforms ? `${uniforms.length}` : 'none',
    });
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.exp(out[i]!) / Math.pow(-Math.log(uniforms[i]!), temperature);
  return out;
}
