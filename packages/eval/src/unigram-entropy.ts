// Unigram entropy of one sample: the entropy (nats) of the empirical distribution of its token ids, reported next
// to generative perplexity because a degenerate sampler (repeating a few tokens) reaches a low perplexity with a
// low entropy (MDLM-family papers report both; s-sahoo/duo `_compute_entropy`, kuleshov-group/remdm).
//   H = −Σ_v (c_v / n) · ln(c_v / n),   c_v = count of id v among the n counted ids (ids in `exclude` skipped)
// 0 for a sample of one distinct id; NaN when no id is counted.

/** Entropy in nats of the ids' unigram distribution (ids in `exclude` are not counted). */
export function unigramEntropy(ids: ArrayLike<number>, exclude: readonly number[] = []): number {
  const skip = new Set(exclude);
  const counts = new Map<number, number>();
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (skip.has(v)) continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    n++;
  }
  if (n === 0) return NaN;
  let h = 0;
  for (const c of counts.values()) h -= (c / n) * Math.log(c / n);
  return h;
}
