// LLaDA's unsupervised classifier-free guidance (ML-GSAI/LLaDA:generate.py:generate and
// get_log_likelihood.py:get_logits): the unconditional input is x with every prompt position
// replaced by the mask id; the model runs once on [x ; x_uncond] (2B rows) and
//   logits = un + (cfg + 1)·(cond − un).
import type { Nd } from '@dlm/core';
import type { LogitsArray } from './types.ts';

/**
 * [x ; x with prompt positions := maskId], [2B, L].
 * @param promptPositions [B, L] (or [L], broadcast over rows) 1 where the position is prompt
 */
export function cfgModelInput(x: Nd<Int32Array>, promptPositions: ArrayLike<number>, maskId: number): Nd<Int32Array> {
  const [b, l] = x.shape as [number, number];
  const out = new Int32Array(2 * b * l);
  out.set(x.data, 0);
  const perRow = promptPositions.length === l;
  for (let i = 0; i < b * l; i++) {
    const isPrompt = promptPositions[perRow ? i % l : i]! !== 0;
    out[b * l + i] = isPrompt ? maskId : x.data[i]!;
  }
  return { data: out, shape: [2 * b, l] };
}

/** Splits [2B, L, V] logits into cond (first B rows) and un, returns un + (cfg+1)(cond − un) in float64 [B, L, V]. */
export function cfgCombine(logits2: LogitsArray, cfgScale: number): Float64Array {
  const half = logits2.length / 2;
  const out = new Float64Array(half);
  for (let i = 0; i < half; i++) {
    const cond = logits2[i]!;
    const un = logits2[half + i]!;
    out[i] = un + (cfgScale + 1) * (cond - un);
  }
  return out;
}
