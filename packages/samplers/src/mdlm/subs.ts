// SUBS log-probabilities on the host in float64, for sampling
// (kuleshov-group/mdlm:diffusion.py:Diffusion._subs_parameterization; the tfjs training version
// is @dlm/losses subsLogProbs):
//   logits[..., mask] += −1e6;  logits −= logsumexp(logits);  rows with x ≠ mask → −1e6 except 0 at x.
import { MDLM_NEG_INFINITY, logsumexp, type Nd } from '@dlm/core';
import { assertLogitsSize, assertTokenIds } from '../token-ids.ts';
import type { LogitsArray, MdlmStepContext } from './types.ts';

/** [B, L, V] float64 SUBS log-probs from backbone logits [B, L, V] and tokens x [B, L]. */
export function subsLogProbsHost(
  logits: LogitsArray,
  x: Nd<Int32Array>,
  maskIndex: number,
  vocabSize: number,
): Float64Array {
  const n = x.data.length;
  const out = Float64Array.from(logits);
  for (let p = 0; p < n; p++) {
    const o = p * vocabSize;
    const xp = x.data[p]!;
    if (xp !== maskIndex) {
      out.fill(MDLM_NEG_INFINITY, o, o + vocabSize);
      out[o + xp] = 0;
      continue;
    }
    out[o + maskIndex] = out[o + maskIndex]! + MDLM_NEG_INFINITY;
    const lse = logsumexp(out, o, o + vocabSize);
    for (let v = o; v < o + vocabSize; v++) out[v] = out[v]! - lse;
  }
  return out;
}

/** One backbone call + SUBS: log p_θ(x0 | x) [B, L, V] in float64 (1 NFE). */
export function denoise(ctx: MdlmStepContext, x: Nd<Int32Array>, sigma: Float64Array): Float64Array {
  const op = 'mdlm.denoise';
  const [b, l] = x.shape as [number, number];
  assertTokenIds(op, 'x', x.data, ctx.vocabSize);
  const logits = ctx.backbone(x, ctx.timeConditioning ? sigma : new Float64Array(sigma.length));
  assertLogitsSize(op, logits, b, l, ctx.vocabSize);
  return subsLogProbsHost(logits, x, ctx.maskIndex, ctx.vocabSize);
}
