// Python's `math.fsum`: the sum of float64 values correctly rounded (as if summed exactly, then rounded once, ties
// to even). NLTK's BLEU sums its weighted log precisions with it (nltk/translate/bleu_score.py:corpus_bleu), so a
// port that sums left to right can differ from it in the last bit.
// Algorithm (Shewchuk 1997, "Adaptive Precision Floating-Point Arithmetic and Fast Robust Geometric Predicates",
// as CPython's Modules/mathmodule.c:math_fsum uses it):
//   1. keep a list of non-overlapping partials, smallest first, whose exact sum is the running total: each new x
//      is added to every partial with the error-free two-sum (hi = x + y, lo = y − (hi − x) for |x| ≥ |y|), the
//      non-zero lo values are kept and hi carries on; the last hi is appended;
//   2. add the partials from the largest down until an addition is inexact (lo ≠ 0);
//   3. half-way case: when that lo and the next smaller partial have the same sign, the true sum lies beyond the
//      tie, so round hi away by one step when hi + 2·lo is representable as hi ± one ulp.
// Inputs must be finite (CPython raises on inf − inf and on intermediate overflow; callers here never pass them).

/** math.fsum(values): the correctly rounded float64 sum of finite `values`. */
export function pyFsum(values: Iterable<number>): number {
  const partials: number[] = [];
  for (let x of values) {
    let kept = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[kept++] = lo;
      x = hi;
    }
    partials.length = kept;
    partials.push(x);
  }
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n]!;
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}
