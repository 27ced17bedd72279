import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError, initBackend, tf, tensorCountDelta } from '@dlm/core';
import { logSumExp, sequenceNll, teacherForcedLogProbs } from './teacher-forcing.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

// B = 2, L = 3, V = 4
const L = [
  [
    [0, 1, 2, 3],
    [1, 1, 1, 1],
    [5, -5, 0, 0],
  ],
  [
    [2, 0, 0, -1],
    [0.5, 0.25, 3, -2],
    [9, 9, 9, 9],
  ],
];
const IDS = [
  [3, 2, 0],
  [1, 0, 2],
];
const lse = (r: number[]) => Math.log(r.reduce((s, x) => s + Math.exp(x), 0));
const want = (b: number, t: number) => L[b]![t]![IDS[b]![t + 1]!]! - lse(L[b]![t]!);

describe('teacherForcedLogProbs', () => {
  const logits = () => tf.tensor3d(L.flat(2), [2, 3, 4]);
  const ids = () => tf.tensor2d(IDS, [2, 3], 'int32');

  it('position t scores ids[t + 1]: logit − logsumexp, in float64 on the host, in any chunking', () => {
    for (const chunkValues of [undefined, 4, 8, 12]) {
      const got = teacherForcedLogProbs(logits(), ids(), undefined, { chunkValues });
      expect(got.map((r) => r.length)).toEqual([2, 2]);
      for (const b of [0, 1]) for (const t of [0, 1]) expect(got[b]![t]).toBeCloseTo(want(b, t), 6);
    }
    expect(sequenceNll([[-1, -2.5], []])).toEqual([3.5, 0]);
  });

  it('with a mask, counts a term only when context and target are both real (left and right padding)', () => {
    const mask = tf.tensor2d([
      [0, 1, 1],
      [1, 1, 0],
    ]);
    const got = teacherForcedLogProbs(logits(), ids(), mask);
    expect(got[0]).toHaveLength(1);
    expect(got[0]![0]).toBeCloseTo(want(0, 1), 6);
    expect(got[1]).toHaveLength(1);
    expect(got[1]![0]).toBeCloseTo(want(1, 0), 6);
  });

  it('leaks no tensors; L = 1 has no terms; rejects bad shapes and ids', () => {
    const [x, y] = [logits(), ids()];
    expect(tensorCountDelta(() => teacherForcedLogProbs(x, y))).toBe(0);
    expect(teacherForcedLogProbs(tf.zeros([2, 1, 4]), tf.zeros([2, 1], 'int32'))).toEqual([[], []]);
    expect(() => teacherForcedLogProbs(x, tf.zeros([2, 2], 'int32'))).toThrow(ShapeError);
    expect(() =>
      teacherForcedLogProbs(
        x,
        tf.tensor2d(
          [
            [0, 4, 0],
            [0, 0, 0],
          ],
          [2, 3],
          'int32',
        ),
      ),
    ).toThrow(/ids in \[0, 4\)/);
    expect(() => teacherForcedLogProbs(x, y, tf.ones([2, 2]))).toThrow(/attentionMask/);
  });

  it('logSumExp is stable for large values and exact at −∞', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.log(2), 10);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(logSumExp([9, 1, 2, 3], 1, 2)).toBeCloseTo(lse([1, 2]), 12);
  });
});
