import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@dlm/core';
import { embeddingLogits, isotropicGaussianLogits } from './embedding-logits.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const Evals = [0.5, -1, 2, 0.25, -0.75, 1.5]; // [V=3, D=2]
const Hvals = [1, 2, -0.5, 0.3]; // [1, 2, 2]

describe('embeddingLogits', () => {
  it('mode 1: h·Eᵀ + bias', () => {
    const got = tf.tidy(() =>
      embeddingLogits(tf.tensor(Hvals, [1, 2, 2]), tf.tensor(Evals, [3, 2]), {
        mode: 1,
        bias: tf.tensor([0.1, 0.2, 0.3]),
      }).arraySync(),
    ) as number[][][];
    const want = [0, 1].map((l) =>
      [0, 1, 2].map((v) => Hvals[2 * l]! * Evals[2 * v]! + Hvals[2 * l + 1]! * Evals[2 * v + 1]! + [0.1, 0.2, 0.3][v]!),
    );
    want.forEach((row, l) => row.forEach((w, v) => expect(got[0]![l]![v]).toBeCloseTo(w, 5)));
  });
  it('mode 2: minus the Euclidean distance', () => {
    const got = tf.tidy(() =>
      embeddingLogits(tf.tensor(Hvals, [1, 2, 2]), tf.tensor(Evals, [3, 2]), { mode: 2 }).dataSync(),
    );
    const d = (l: number, v: number) =>
      -Math.hypot(Hvals[2 * l]! - Evals[2 * v]!, Hvals[2 * l + 1]! - Evals[2 * v + 1]!);
    expect(got[0]).toBeCloseTo(d(0, 0), 5);
    expect(got[5]).toBeCloseTo(d(1, 2), 5);
  });
  it('isotropic Gaussian logits: −‖x − E_v‖²/(2·0.1²)', () => {
    const got = tf.tidy(() =>
      isotropicGaussianLogits(tf.tensor(Hvals, [1, 2, 2]), tf.tensor(Evals, [3, 2])).dataSync(),
    );
    expect(got[4]).toBeCloseTo(-((Hvals[2]! - Evals[2]!) ** 2 + (Hvals[3]! - Evals[3]!) ** 2) / 0.02, 3);
  });
  it('rejects a width mismatch and a wrong bias', () => {
    tf.tidy(() => {
      expect(() => embeddingLogits(tf.zeros([1, 2, 3]), tf.tensor(Evals, [3, 2]))).toThrow(
        /gaussian\.embeddingLogits: h and embedding.*width 2/,
      );
      expect(() => embeddingLogits(tf.zeros([1, 2, 2]), tf.tensor(Evals, [3, 2]), { bias: tf.zeros([4]) })).toThrow(
        /bias.*\[3\]/,
      );
      expect(() => isotropicGaussianLogits(tf.zeros([1, 1, 5]), tf.tensor(Evals, [3, 2]))).toThrow(
        /isotropicGaussianLogits/,
      );
    });
  });
});
