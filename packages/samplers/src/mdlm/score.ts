// The concrete score p_t(y)/p_t(x) of the absorbing process from SUBS
// (kuleshov-group/mdlm:diffusion.py:Diffusion.get_score), per position, with
// log k = −log(expm1(σ)), i.e. k = e^{−σ}/(1 − e^{−σ}):
//   x masked:    score[y] = p_θ(y | x)·k for y ≠ mask,  score[mask] = 1
//   x unmasked:  score[x] = 1,  score[mask] = 1/k = expm1(σ),  0 elsewhere (exp(−1e6))
// Float64 on the host, [B, L, V].
import { MDLM_NEG_INFINITY, type Nd } from '@dlm/core';

/**
 * @param logProbs [B, L, V] SUBS log-probabilities for x
 * @param sigma    [B] total noise σ(t) per row
 */
export function subsScore(
  logProbs: Float64Array,
  x: Nd<Int32Array>,
  sigma: ArrayLike<number>,
  maskIndex: number,
): Float64Array {
  const [b, l] = x.shape as [number, number];
  const V = logProbs.length / (b * l);
  const out = new Float64Array(logProbs.length);
  for (let r = 0; r < b; r++) {
    const logK = -Math.log(Math.expm1(sigma[r]!));
    for (let p = r * l; p < (r + 1) * l; p++) {
      const o = p * V;
      if (x.data[p] === maskIndex) {
        for (let v = 0; v < V; v++) out[o + v] = Math.exp(logProbs[o + v]! + logK);
        out[o + maskIndex] = 1;
      } else {
        // The reference exponentiates −1e6 (→ 0) rather than writing 0; same value in float64.
        for (let v = 0; v < V; v++) out[o + v] = Math.exp(MDLM_NEG_INFINITY);
        out[o + x.data[p]!] = 1;
        out[o + maskIndex] = Math.exp(-logK);
      }
    }
  }
  return out;
}
