// Test helper: the exact log score of a factorised data distribution p0 (every position i.i.d. p0) under
// a graph — log p_σ(y) − log p_σ(x) per position, with p_σ = Σ_{x0} p0(x0)·forwardDistribution(x0, σ).
// Impossible states get a finite −60.
import type { Nd } from '@dlm/core';
import type { Graph } from '@dlm/processes';
import type { SeddScoreModel } from '../types.ts';

export function trueScoreModel(graph: Graph, p0: readonly number[]): SeddScoreModel {
  const D = graph.dim;
  const states: Nd<Int32Array> = { data: Int32Array.from({ length: D }, (_, v) => v), shape: [1, D] };
  return (x, sigma) => {
    const [b, l] = x.shape as [number, number];
    const out = new Float64Array(b * l * D);
    for (let r = 0; r < b; r++) {
      const fwd = graph.forwardDistribution(states, [sigma[r]!]).data; // row x0: p(· | x0)
      const marg = new Float64Array(D);
      for (let a = 0; a < D; a++) for (let y = 0; y < D; y++) marg[y] = marg[y]! + (p0[a] ?? 0) * fwd[a * D + y]!;
      for (let p = r * l; p < (r + 1) * l; p++) {
        const px = marg[x.data[p]!]!;
        for (let y = 0; y < D; y++) out[p * D + y] = marg[y]! > 0 && px > 0 ? Math.log(marg[y]! / px) : -60;
      }
    }
    return out;
  };
}
