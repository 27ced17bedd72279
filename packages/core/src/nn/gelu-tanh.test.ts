import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.ts';
import { tf } from '../tf.ts';
import { assertAllClose } from './all-close.ts';
import { geluTanh } from './gelu-tanh.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const us = [-6, -3, -1, -0.5, 0, 0.25, 1, 2, 5];
const c = Math.sqrt(2 / Math.PI);
const gelu = (u: number) => 0.5 * u * (1 + Math.tanh(c * (u + 0.044715 * u ** 3)));
const dgelu = (u: number) => {
  const t = Math.tanh(c * (u + 0.044715 * u ** 3));
  return 0.5 * (1 + t) + 0.5 * u * (1 - t * t) * c * (1 + 3 * 0.044715 * u * u);
};

describe('geluTanh', () => {
  it('matches 0.5·u·(1 + tanh(√(2/π)(u + 0.044715u³))) and known values', () => {
    assertAllClose('gelu', geluTanh(tf.tensor1d(us)).dataSync(), us.map(gelu), 1e-5, 1e-6);
    // torch.nn.GELU(approximate='tanh')(1.0) = 0.8411920 (tanh form; the erf form gives 0.8413447)
    expect(geluTanh(tf.scalar(1)).dataSync()[0]).toBeCloseTo(0.841192, 5);
  });
  it('gradient', () => {
    const g = tf.grad((u: tf.Tensor) => tf.sum(geluTanh(u)))(tf.tensor1d(us));
    assertAllClose('dgelu', g.dataSync(), us.map(dgelu), 1e-5, 1e-6);
  });
});
