// Test helper: compares tf.grad of a scalar loss w.r.t. logits with central finite differences
// of the same tfjs function (float32, step h). Returns the worst excess over atol + rtol·|fd|.
import { tf } from '@dlm/core';

export function gradCheck(
  f: (logits: tf.Tensor3D) => tf.Scalar,
  logits: Float32Array,
  shape: [number, number, number],
  h = 1e-2,
): { worst: number; analytic: Float32Array; numeric: Float64Array } {
  const analytic = tf.tidy(
    () =>
      tf
        .grad((x: tf.Tensor) => f(x as tf.Tensor3D))(tf.tensor3d(logits, shape))
        .dataSync() as Float32Array,
  );
  const value = (x: Float32Array) => tf.tidy(() => f(tf.tensor3d(x, shape)).dataSync()[0]!);
  const numeric = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) {
    const p = Float32Array.from(logits);
    const m = Float32Array.from(logits);
    p[i] = p[i]! + h;
    m[i] = m[i]! - h;
    numeric[i] = (value(p) - value(m)) / (2 * h);
  }
  let worst = 0;
  for (let i = 0; i < logits.length; i++)
    worst = Math.max(worst, Math.abs(analytic[i]! - numeric[i]!) - (2e-3 + 1e-2 * Math.abs(numeric[i]!)));
  return { worst, analytic, numeric };
}

/** Deterministic pseudo-random logits in [−2, 2) (no Rng dependency in the helper). */
export function testLogits(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 4 - 2;
  }
  return out;
}
