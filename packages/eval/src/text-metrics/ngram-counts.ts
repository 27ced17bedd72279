// n-gram count tables shared by BLEU, chrF, ROUGE and distinct-n (Python's `collections.Counter` of n-gram tuples).
// A key is the n units joined by `sep`. Keys are unambiguous when no unit contains `sep`: word units are split on
// whitespace (so ' ' is safe) and character units are single code points (so '' is safe: a string splits into code
// points one way only).

/** Counts of the `n`-grams of `units` (`len(units) − n + 1` of them, none when shorter than n). */
export function countNgrams(units: readonly string[], n: number, sep: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= units.length; i++) {
    const key = units.slice(i, i + n).join(sep);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Σ of all counts (the number of n-grams). */
export function totalCount(counts: ReadonlyMap<string, number>): number {
  let t = 0;
  for (const c of counts.values()) t += c;
  return t;
}

/** Σ over the n-grams of `a` of min(count in a, count in b): the clipped matches. */
export function clippedMatches(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  let m = 0;
  for (const [g, c] of a) {
    const o = b.get(g);
    if (o !== undefined) m += Math.min(c, o);
  }
  return m;
}
