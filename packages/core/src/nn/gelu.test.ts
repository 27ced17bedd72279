import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.ts';
import { tf } from '../tf.ts';
import { assertAllClose } from './all-close.ts';
import { gelu } from './gelu.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const us = [-6, -3, -1, -0.5, 0, 0.25, 1, 2, 5];
// A float64 erf by its Maclaurin series Σ (−1)ⁿ x^(2n+1) / (n!·(2n+1)) · 2/√π (200 terms: exact to
// ~1e-15 for |x| ≤ 4.5; beyond, |erf − sign(x)| < 3e-10).
function erf(x: number): number {
  if (Math.abs(x) > 4.5) return Math.sign(x);
  let sum = 0;
  let term = x;
  for (let n = 0; n < 200; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
const ref = (u: number) => 0.5 * u * (1 + erf(u / Math.SQRT2));
const dref = (u: number) => 0.5 * (1 + erf(u / Math.SQRT2)) + (u * Math.exp(-0.5 * u * u)) / Math.sqrt(2 * Math.PI);

describe('gelu (erf form)', () => {
  it('matches 0.5·u·(1 + erf(u/√2)) and torch.nn.functional.gelu(1.0) = 0.8413447', () => {
    assertAllClose('gelu', gelu(tf.tensor1d(us)).dataSync(), us.map(ref), 1e-5, 1e-6);
    expect(gelu(tf.scalar(1)).dataSync()[0]).toBeCloseTo(0.8413447, 6);
    // differs from the tanh approximation (0.8411920) at the 4th decimal
    expect(Math.abs(gelu(tf.scalar(1)).dataSync()[0]! - 0.841192)).toBeGreaterThan(1e-4);
  });
  it('gradient Φ(u) + u·φ(u)', () => {
    const g = tf.grad((u: tf.Tensor) => tf.sum(gelu(u)))(tf.tensor1d(us));
    assertAllClose('dgelu', g.dataSync(), us.map(dref), 1e-5, 1e-6);
  });
});
