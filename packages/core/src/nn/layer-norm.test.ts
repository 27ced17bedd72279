import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.ts';
import { tf } from '../tf.ts';
import { assertAllClose } from './all-close.ts';
import { layerNorm } from './layer-norm.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const D = 6;
const x = Array.from({ length: 3 * D }, (_, i) => Math.sin(1.3 * i) * (1 + (i % 4)));
const w = Array.from({ length: D }, (_, i) => 1 + 0.3 * Math.cos(i));
const b = Array.from({ length: D }, (_, i) => 0.2 * i - 0.5);

/** float64 layer norm of each row: returns x̂ and 1/σ per row. */
function hostNorm(eps: number) {
  const xhat: number[] = [];
  const inv: number[] = [];
  for (let r = 0; r < x.length / D; r++) {
    const row = x.slice(r * D, (r + 1) * D);
    const mu = row.reduce((s, v) => s + v, 0) / D;
    const variance = row.reduce((s, v) => s + (v - mu) ** 2, 0) / D; // biased
    const is = 1 / Math.sqrt(variance + eps);
    inv.push(is);
    for (const v of row) xhat.push((v - mu) * is);
  }
  return { xhat, inv };
}

describe('layerNorm', () => {
  it('normalises the last axis (biased variance, eps 1e-5), then weight and bias', () => {
    const { xhat } = hostNorm(1e-5);
    const xt = tf.tensor(x, [3, D]);
    assertAllClose('plain', layerNorm(xt).dataSync(), xhat, 1e-5, 1e-6);
    const wt = tf.tensor1d(w);
    assertAllClose(
      'weight only (SEDD/MDLM)',
      layerNorm(xt, { weight: wt }).dataSync(),
      xhat.map((v, i) => v * w[i % D]!),
      1e-5,
      1e-6,
    );
    const want = xhat.map((v, i) => v * w[i % D]! + b[i % D]!);
    assertAllClose('affine', layerNorm(xt, { weight: wt, bias: tf.tensor1d(b) }).dataSync(), want, 1e-5, 1e-6);
  });

  it('eps matters for a near-constant row', () => {
    const row = tf.tensor2d([[1, 1, 1, 1.001]]);
    // var = 3·(0.00025)²+ (0.00075)² / 4 = 1.875e-7; x̂_last = 0.00075/sqrt(var + eps)
    const want = 0.00075 / Math.sqrt(1.875e-7 + 1e-5);
    expect(layerNorm(row).dataSync()[3]).toBeCloseTo(want, 3);
    expect(layerNorm(row, { eps: 1e-2 }).dataSync()[3]).toBeCloseTo(0.00075 / Math.sqrt(1.875e-7 + 1e-2), 4);
  });

  it('gradient matches the analytic float64 formula', () => {
    const { xhat, inv } = hostNorm(1e-5);
    const r = x.map((_, i) => Math.cos(0.9 * i));
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(layerNorm(a, { weight: tf.tensor1d(w) }), tf.tensor(r, [3, D]))))(
      tf.tensor(x, [3, D]),
    );
    // dx = inv·(u − mean(u) − x̂·mean(u·x̂)), u = r·w
    const want: number[] = [];
    for (let row = 0; row < 3; row++) {
      const u = Array.from({ length: D }, (_, j) => r[row * D + j]! * w[j]!);
      const xh = xhat.slice(row * D, (row + 1) * D);
      const mu = u.reduce((s, v) => s + v, 0) / D;
      const mux = u.reduce((s, v, j) => s + v * xh[j]!, 0) / D;
      for (let j = 0; j < D; j++) want.push(inv[row]! * (u[j]! - mu - xh[j]! * mux));
    }
    assertAllClose('dx', g.dataSync(), want, 1e-4, 1e-5);
  });

  it('rejects a weight of the wrong width', () => {
    expect(() => layerNorm(tf.zeros([2, 4]), { weight: tf.ones([3]) })).toThrow(/layerNorm: weight.*expected \[4\]/);
  });
});
