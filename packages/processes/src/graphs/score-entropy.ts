// Score entropy in one linear form, so that each graph states its math once and both a float64 host
// evaluation (here) and a differentiable tfjs evaluation (@dlm/losses score-entropy.ts) use it.
//
// SEDD's score entropy at a position with log score s [D], state x, clean token x0 and noise σ
// (graph_lib.py:*.score_entropy) is, for both graphs,
//   value = pos − neg + k
//   pos   = wAll·Σ_{v ∉ excluded} e^{s_v} − wSelf·e^{s_x}
//   neg   = cAll·Σ_v s_v − cSelf·s_x + cTarget·s_{x0}
// where the coefficients depend on (σ, x, x0) only, not on s:
//   absorbing (E = expm1(σ) if σ < 0.5 else e^σ − 1, r = 1/E), excluded = mask column, at x = mask:
//     wAll = 1, cTarget = r, k = r(ln r − 1), the rest 0; every coefficient 0 where x ≠ mask.
//   uniform (ratio = 1 − D/(E + D)), nothing excluded: wAll = wSelf = 1/D, cAll = cSelf = 1/D;
//     x = x0: cAll, cSelf ×= ratio, cTarget = 0, k = (D−1)/D·ratio·(ln ratio − 1);
//     x ≠ x0: cTarget = 1/E, k = ((−ln ratio − 1)/ratio − (D − 2))/D.
// The gradient w.r.t. s is then wAll·e^{s_v}[v ∉ excluded] − wSelf·e^{s_x}[v = x] − (cAll − cSelf[v = x] + cTarget[v =
// x0]).
import { sizeOf, type Nd, type Rows } from '@dlm/core';
import { checkVectors } from './common.ts';

export interface ScoreEntropyTerms {
  /** The token arrays' shape [B, L]. */
  readonly shape: readonly number[];
  readonly dim: number;
  /** Column left out of Σ e^{s_v} (the absorbing state), or −1. */
  readonly excludeColumn: number;
  readonly x: Int32Array;
  readonly x0: Int32Array;
  readonly wAll: Float64Array;
  readonly wSelf: Float64Array;
  readonly cAll: Float64Array;
  readonly cSelf: Float64Array;
  readonly cTarget: Float64Array;
  readonly k: Float64Array;
}

/** Zero-filled terms for `shape` (a graph fills in its coefficients). */
export function emptyTerms(
  shape: readonly number[],
  dim: number,
  excludeColumn: number,
  x: Int32Array,
  x0: Int32Array,
): ScoreEntropyTerms {
  const n = sizeOf(shape);
  const z = () => new Float64Array(n);
  return {
    shape: [...shape],
    dim,
    excludeColumn,
    x,
    x0,
    wAll: z(),
    wSelf: z(),
    cAll: z(),
    cSelf: z(),
    cTarget: z(),
    k: z(),
  };
}

/** True where a position contributes (some coefficient non-zero); elsewhere the value is exactly 0. */
export function activePositions(t: ScoreEntropyTerms): Uint8Array {
  const out = new Uint8Array(t.x.length);
  for (let p = 0; p < out.length; p++) {
    out[p] =
      t.wAll[p] !== 0 || t.wSelf[p] !== 0 || t.cAll[p] !== 0 || t.cSelf[p] !== 0 || t.cTarget[p] !== 0 || t.k[p] !== 0
        ? 1
        : 0;
  }
  return out;
}

/** Float64 evaluation of the score entropy [B, L] for a log score [B, L, D]. */
export function evaluateScoreEntropy(t: ScoreEntropyTerms, logScore: Rows): Nd<Float64Array> {
  checkVectors('scoreEntropy', 'x', t.shape, 'logScore', logScore, t.dim);
  const D = t.dim;
  const s = logScore.data;
  const active = activePositions(t);
  const out = new Float64Array(t.x.length);
  for (let p = 0; p < out.length; p++) {
    if (!active[p]) continue;
    const o = p * D;
    let sumExp = 0;
    let sum = 0;
    for (let v = 0; v < D; v++) {
      const sv = s[o + v]!;
      if (v !== t.excludeColumn) sumExp += Math.exp(sv);
      sum += sv;
    }
    const sx = s[o + t.x[p]!]!;
    // a zero coefficient drops its term (so a −∞ log score of an impossible state gives 0, not 0·∞ = NaN)
    const term = (c: number, v: number) => (c === 0 ? 0 : c * v);
    const pos = term(t.wAll[p]!, sumExp) - term(t.wSelf[p]!, Math.exp(sx));
    const neg = term(t.cAll[p]!, sum) - term(t.cSelf[p]!, sx) + term(t.cTarget[p]!, s[o + t.x0[p]!]!);
    out[p] = pos - neg + t.k[p]!;
  }
  return { data: out, shape: [...t.shape] };
}
