import { beforeAll, describe, it } from 'vitest';
import { initBackend } from '../backend/select.ts';
import { tf } from '../tf.ts';
import { assertAllClose } from './all-close.ts';
import { silu } from './silu.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const us = [-30, -6, -1, -0.5, 0, 0.25, 1, 2, 30];

describe('silu', () => {
  it('x·σ(x) and its gradient σ(x)(1 + x(1 − σ(x)))', () => {
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    assertAllClose(
      'silu',
      silu(tf.tensor1d(us)).dataSync(),
      us.map((x) => x * sig(x)),
      1e-5,
      1e-6,
    );
    const g = tf.grad((u: tf.Tensor) => tf.sum(silu(u)))(tf.tensor1d(us));
    assertAllClose(
      'dsilu',
      g.dataSync(),
      us.map((x) => sig(x) * (1 + x * (1 - sig(x)))),
      1e-5,
      1e-6,
    );
  });
});
