// Float64 host numerics, each stable at the extremes the diffusion families reach
// (σ → 0 near t = 0, σ → 20+ near t = 1, log-probabilities near −1e6).

/** log Σ exp(x_i); -Infinity for an empty or all -Infinity input; +Infinity if any +Infinity. */
export function logsumexp(x: ArrayLike<number>, start = 0, end = x.length): number {
  let m = -Infinity;
  for (let i = start; i < end; i++) if (x[i]! > m) m = x[i]!;
  if (m === -Infinity || m === Infinity || Number.isNaN(m)) return m;
  let s = 0;
  for (let i = start; i < end; i++) s += Math.exp(x[i]! - m);
  return m + Math.log(s);
}

/**
 * log(1 − e^{−x}) for x > 0 (Mächler 2012): log(−expm1(−x)) for x ≤ ln 2, else log1p(−e^{−x}).
 * Used for log move-chance log(1 − e^{−σ}).
 */
export function log1mexp(x: number): number {
  if (x < 0 || Number.isNaN(x)) return NaN;
  if (x === 0) return -Infinity;
  return x <= Math.LN2 ? Math.log(-Math.expm1(-x)) : Math.log1p(-Math.exp(-x));
}

/** log(1 + e^x) without overflow. */
export function softplus(x: number): number {
  if (x > 35) return x;
  if (x < -35) return Math.exp(x);
  return Math.log1p(Math.exp(x));
}

/** log σ(x) = −softplus(−x). */
export function logSigmoid(x: number): number {
  return -softplus(-x);
}

/** e^x − 1 as SEDD writes it: expm1 below 0.5, exp − 1 above (matches the reference bit for bit). */
export function seddExpm1(sigma: number): number {
  return sigma < 0.5 ? Math.expm1(sigma) : Math.exp(sigma) - 1;
}

/** log(e^x − 1) for x > 0, stable for tiny x (log x) and large x (x + log1p(−e^{−x})). */
export function logExpm1(x: number): number {
  if (x <= 0 || Number.isNaN(x)) return x === 0 ? -Infinity : NaN;
  return x > 50 ? x + Math.log1p(-Math.exp(-x)) : Math.log(Math.expm1(x));
}

function rowMaxAndSum(x: Float64Array, r: number, v: number): [number, number] {
  let m = -Infinity;
  for (let i = r; i < r + v; i++) if (x[i]! > m) m = x[i]!;
  let s = 0;
  for (let i = r; i < r + v; i++) s += Math.exp(x[i]! - m);
  return [m, s];
}

/** In-place log-softmax over the last axis of a row-major [rows, V] array: (x − max) − log Σ e^(x − max). */
export function logSoftmaxRows(x: Float64Array, v: number): Float64Array {
  for (let r = 0; r < x.length; r += v) {
    const [m, s] = rowMaxAndSum(x, r, v);
    const ls = Math.log(s);
    for (let i = r; i < r + v; i++) x[i] = x[i]! - m - ls;
  }
  return x;
}

/** In-place softmax over the last axis of a row-major [rows, V] array. */
export function softmaxRows(x: Float64Array, v: number): Float64Array {
  for (let r = 0; r < x.length; r += v) {
    const [m, s] = rowMaxAndSum(x, r, v);
    for (let i = r; i < r + v; i++) x[i] = Math.exp(x[i]! - m) / s;
  }
  return x;
}

/**
 * MDLM's finite "minus infinity" (kuleshov-group/mdlm:diffusion.py `neg_infinity = -1000000.0`):
 * a true −∞ gives NaN gradients through 0·∞. Float32 spacing near −1e6 is 0.0625.
 */
export const MDLM_NEG_INFINITY = -1e6;

/**
 * torch.linspace(start, end, n) as computed on CPU: start + step·i for the first half and
 * end − step·(n − 1 − i) for the rest, so both end points are exact. (numpy.linspace differs in
 * the last bits: the β tables of @dlm/schedules keep their own numpy-exact version.)
 */
export function torchLinspace(start: number, end: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = start;
    return out;
  }
  const step = (end - start) / (n - 1);
  const half = Math.floor(n / 2);
  for (let i = 0; i < n; i++) out[i] = i < half ? start + step * i : end - step * (n - 1 - i);
  return out;
}

/** Row-wise argmax of a row-major [rows, v] array: the first maximum wins (torch.argmax). */
export function argmaxRows(x: ArrayLike<number>, v: number): Int32Array {
  const rows = Math.floor(x.length / v);
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * v;
    let best = 0;
    for (let j = 1; j < v; j++) if (x[o + j]! > x[o + best]!) best = j;
    out[r] = best;
  }
  return out;
}
