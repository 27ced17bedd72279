// Pearson chi-square goodness of fit, for statistical tests of samplers.
//
// Statistic X² = Σ (O_i − E_i)² / E_i over categories with E_i > 0; p-value = Q(df/2, X²/2),
// the regularised upper incomplete gamma function (Numerical Recipes §6.2: series below a + 1,
// Lentz continued fraction above), df = #categories with E_i > 0 minus 1.
import { ConfigError } from '../errors.ts';

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~1e-15 relative). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let a = c[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Q(a, x) = Γ(a, x) / Γ(a), the upper regularised incomplete gamma function. */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - sum * Math.exp(lead);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(lead) * h;
}

export interface ChiSquareResult {
  statistic: number;
  df: number;
  pValue: number;
  /** Observations that fell in zero-probability categories (a sampler bug if > 0). */
  impossible: number;
}

/** Goodness of fit of observed `counts` to probabilities `probs` (normalised here). */
export function chiSquareTest(counts: ArrayLike<number>, probs: ArrayLike<number>): ChiSquareResult {
  if (counts.length !== probs.length || counts.length < 2) {
    throw new ConfigError({
      op: 'chiSquareTest',
      arg: 'counts, probs',
      expected: 'equal lengths ≥ 2',
      got: `${counts.length}, ${probs.length}`,
    });
  }
  let n = 0;
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    n += counts[i]!;
    total += probs[i]!;
  }
  let statistic = 0;
  let df = -1;
  let impossible = 0;
  for (let i = 0; i < counts.length; i++) {
    const e = (n * probs[i]!) / total;
    if (e > 0) {
      statistic += (counts[i]! - e) ** 2 / e;
      df++;
    } else impossible += counts[i]!;
  }
  return { statistic, df, pValue: df > 0 ? gammaQ(df / 2, statistic / 2) : 1, impossible };
}
