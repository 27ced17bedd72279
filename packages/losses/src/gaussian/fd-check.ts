// Test helper (not exported): gradients of a scalar tfjs function against central finite
// differences of the same function, per input. float32 throughout, so use h ≈ 1e-2 and compare
// with a loose tolerance (atol 2e-3 + rtol 1e-2).
import { tf } from '@dlm/core';

export interface FdInput {
  data: Float32Array;
  shape: number[];
}

/** Worst |analytic − numeric| − (atol + rtol·|numeric|) over every element of every input (≤ 0 passes). */
export function fdGradCheck(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  inputs: FdInput[],
  h = 1e-2,
  atol = 2e-3,
  rtol = 1e-2,
): { worst: number; analytic: Float32Array[]; numeric: Float64Array[] } {
  const analytic = tf.tidy(() =>
    tf
      .grads((...xs: tf.Tensor[]) => f(...xs))(inputs.map((x) => tf.tensor(x.data, x.shape)))
      .map((g) => g.dataSync() as Float32Array),
  );
  const value = (k: number, data: Float32Array): number =>
    tf.tidy(() => f(...inputs.map((x, j) => tf.tensor(j === k ? data : x.data, x.shape))).dataSync()[0]!);
  let worst = -Infinity;
  const numeric = inputs.map((x, k) => {
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < x.data.length; i++) {
      const plus = Float32Array.from(x.data),
        minus = Float32Array.from(x.data);
      plus[i] = plus[i]! + h;
      minus[i] = minus[i]! - h;
      out[i] = (value(k, plus) - value(k, minus)) / (2 * h);
      worst = Math.max(worst, Math.abs(analytic[k]![i]! - out[i]!) - (atol + rtol * Math.abs(out[i]!)));
    }
    return out;
  });
  return { worst, analytic, numeric };
}

/** Deterministic values in [−1, 1). */
export function testValues(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}
