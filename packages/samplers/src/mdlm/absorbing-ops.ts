// The two absorbing-graph operations MDLM's analytic sampler uses, with the mask at any column
// (kuleshov-group/mdlm:diffusion.py:Diffusion._staggered_score and _transp_transition; the same
// math as SEDD's Absorbing graph, whose mask is the last column). Float64, rows [B, L, V],
// one Δσ per batch row.
// NOTE: to be replaced by @dlm/processes' absorbing graph once it takes a mask index.

/** s' = score·e^{Δ}, then s'[mask] += (1 − e^{Δ})·Σ_v score[v] (the original score's sum). */
export function staggeredScoreAt(score: Float64Array, dsigma: ArrayLike<number>, rows: number, length: number, maskIndex: number): Float64Array {
  const V = score.length / (rows * length);
  const out = new Float64Array(score.length);
  for (let r = 0; r < rows; r++) {
    const e = Math.exp(dsigma[r]!);
    for (let p = r * length; p < (r + 1) * length; p++) {
      const o = p * V;
      let sum = 0;
      for (let v = 0; v < V; v++) sum += score[o + v]!;
      for (let v = 0; v < V; v++) out[o + v] = score[o + v]! * e;
      out[o + maskIndex] = out[o + maskIndex]! + (1 - e) * sum;
    }
  }
  return out;
}

/** e^{−Δ}·one_hot(x), plus (1 − e^{−Δ}) in every column of rows where x is the mask. */
export function transpTransitionAt(x: Int32Array, dsigma: ArrayLike<number>, rows: number, length: number, vocabSize: number, maskIndex: number): Float64Array {
  const out = new Float64Array(rows * length * vocabSize);
  for (let r = 0; r < rows; r++) {
    const e = Math.exp(-dsigma[r]!);
    for (let p = r * length; p < (r + 1) * length; p++) {
      const o = p * vocabSize;
      out[o + x[p]!] = e;
      if (x[p] === maskIndex) for (let v = 0; v < vocabSize; v++) out[o + v] = out[o + v]! + (1 - e);
    }
  }
  return out;
}
