import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.ts';
import { tf } from '../tf.ts';
import { clipGradNorm } from './clip-grad-norm.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('clipGradNorm (torch clip_grad_norm_, L2)', () => {
  const grads = () =>
    new Map<string, tf.Tensor>([
      ['a', tf.tensor1d([3, 0])],
      [
        'b',
        tf.tensor2d([
          [0, 4],
          [12, 0],
        ]),
      ],
    ]); // global norm 13

  it('scales by maxNorm / (total + 1e-6) when the norm is larger', () => {
    const g = grads();
    const { grads: c, totalNorm } = clipGradNorm(g, 6.5);
    expect(totalNorm).toBeCloseTo(13, 5);
    const coef = 6.5 / (13 + 1e-6);
    expect(c.get('a')!.dataSync()[0]).toBeCloseTo(3 * coef, 6);
    expect(c.get('b')!.dataSync()[2]).toBeCloseTo(12 * coef, 5);
    expect(g.get('a')!.dataSync()[0]).toBe(3); // inputs untouched
  });

  it('leaves gradients unchanged below maxNorm, and leaks nothing', () => {
    const g = grads();
    const before = tf.memory().numTensors;
    const { grads: c, totalNorm } = clipGradNorm(g, 100);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(totalNorm).toBeCloseTo(13, 5);
    expect(Array.from(c.get('b')!.dataSync())).toEqual([0, 4, 12, 0]);
    expect(() => clipGradNorm(g, 0)).toThrow(/clipGradNorm: maxNorm/);
  });
});
