// Nearest-name suggestions for error messages ("did you mean …"): Damerau–Levenshtein
// (optimal string alignment) distance, ties broken by list order so suggestions are stable.

/** Edit distance with adjacent transpositions counted as one edit. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  // d[i][j] = distance between a[:i] and b[:j], stored row-major in (m+1)×(n+1)
  const d = new Array<number>((m + 1) * (n + 1)).fill(0);
  const at = (i: number, j: number) => d[i * (n + 1) + j]!;
  for (let i = 0; i <= m; i++) d[i * (n + 1)] = i;
  for (let j = 0; j <= n; j++) d[j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * (n + 1) + j] = v;
    }
  }
  return at(m, n);
}

function isSubsequence(short: string, long: string): boolean {
  let j = 0;
  for (let i = 0; i < long.length && j < short.length; i++) if (long[i] === short[j]) j++;
  return j === short.length;
}

/**
 * The candidate closest to `word` with its score, or undefined for an empty list. Score: edit
 * distance (case-insensitive); a candidate that starts with the same letter and contains `word`
 * as a subsequence (an abbreviation such as `lr` → `learningRate`, or a dropped letter) scores a
 * quarter point per extra letter. Ties keep list order.
 */
export function closest(word: string, candidates: readonly string[]): { name: string; score: number } | undefined {
  let best: { name: string; score: number } | undefined;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const dist = editDistance(w, lc);
    const score = w[0] === lc[0] && isSubsequence(w, lc) ? Math.min(dist, 0.25 * (lc.length - w.length)) : dist;
    if (!best || score < best.score) best = { name: c, score };
  }
  return best;
}

/** The candidate closest to `word` (however far), or undefined for an empty list. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  return closest(word, candidates)?.name;
}

/**
 * A "did you mean" suggestion: the closest candidate when it is plausibly a typo of `word` (score
 * at most a third of the word's length, and at least 1 allowed), else undefined, so an unrelated
 * name gets no misleading guess.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const c = closest(word, candidates);
  return c && c.name !== word && c.score <= Math.max(1, Math.ceil(word.length / 3)) ? c.name : undefined;
}
