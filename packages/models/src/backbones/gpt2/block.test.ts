import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError, initBackend, tf } from '@dlm/core';
import { conv1d } from './block.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('conv1d (HF Conv1D, weight stored (in, out))', () => {
  it('computes x·W + b over the last axis', () => {
    const x = tf.tensor3d([1, 2, -1, 0.5], [1, 2, 2]); // [B=1, L=2, in=2]
    const w = tf.tensor2d([
      [1, 0, 2],
      [3, -1, 0],
    ]); // [in=2, out=3]
    const b = tf.tensor1d([0.5, 0, -1]);
    const y = conv1d(x, w, b);
    expect(y.shape).toEqual([1, 2, 3]);
    expect(Array.from(y.dataSync())).toEqual([1 + 6 + 0.5, -2, 2 - 1, -1 + 1.5 + 0.5, -0.5, -2 - 1]);
  });

  it('rejects a weight in nn.Linear (out, in) layout', () => {
    expect(() => conv1d(tf.zeros([1, 2, 2]), tf.zeros([3, 2]), tf.zeros([3]))).toThrow(ShapeError);
  });
});
