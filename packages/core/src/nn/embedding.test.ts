import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.ts';
import { tf } from '../tf.ts';
import { embedding } from './embedding.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('embedding', () => {
  it('gathers rows [B, L] → [B, L, D] and accumulates gradients of repeated ids', () => {
    const table = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]); // [V=3, D=2]
    const ids = tf.tensor2d(
      [
        [2, 0, 2],
        [1, 2, 2],
      ],
      [2, 3],
      'int32',
    );
    const y = embedding(table, ids);
    expect(y.shape).toEqual([2, 3, 2]);
    expect(Array.from(y.dataSync())).toEqual([5, 6, 1, 2, 5, 6, 3, 4, 5, 6, 5, 6]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(embedding(t, ids)))(table);
    // row 0 used once, row 1 once, row 2 four times
    expect(Array.from(g.dataSync())).toEqual([1, 1, 1, 1, 4, 4]);
    tf.dispose([table, ids, y, g]);
  });

  it('needs int32 ids and a rank-2 table', () => {
    expect(() => embedding(tf.zeros([3, 2]), tf.zeros([2]))).toThrow(/embedding: ids.*int32/);
    expect(() => embedding(tf.zeros([3]), tf.zeros([2], 'int32'))).toThrow(/embedding: table/);
  });
});
