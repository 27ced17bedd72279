import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.ts';
import { tf } from '../tf.ts';
import { assertAllClose } from './all-close.ts';
import { rmsNorm } from './rms-norm.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('rmsNorm', () => {
  it('x / sqrt(mean(x²) + eps) · weight', () => {
    const x = [3, -4, 0, 1e-3, 2e-3, -2e-3];
    const w = [2, 0.5, 1];
    const want: number[] = [];
    for (const row of [x.slice(0, 3), x.slice(3)]) {
      const ms = row.reduce((s, v) => s + v * v, 0) / 3;
      row.forEach((v, j) => want.push((v / Math.sqrt(ms + 1e-5)) * w[j]!));
    }
    assertAllClose('rms', rmsNorm(tf.tensor2d(x, [2, 3]), { weight: tf.tensor1d(w) }).dataSync(), want, 1e-5, 1e-6);
    // first row: mean(x²) = 25/3 → 3/sqrt(25/3) ≈ 1.0392 (eps negligible), times 2
    expect(want[0]).toBeCloseTo((2 * 3) / Math.sqrt(25 / 3), 5);
    // second row is small: eps dominates
    const noEps = rmsNorm(tf.tensor2d(x.slice(3), [1, 3]), { eps: 0 }).dataSync();
    expect(noEps[0]).toBeCloseTo(1e-3 / Math.sqrt(3e-6), 3);
  });

  it('rejects a weight of the wrong width', () => {
    expect(() => rmsNorm(tf.zeros([2, 4]), { weight: tf.ones([3]) })).toThrow(/rmsNorm: weight/);
  });
});
