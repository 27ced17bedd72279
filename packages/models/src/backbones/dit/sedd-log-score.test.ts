import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@dlm/core';
import { seddLogScore } from './sedd-log-score.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('seddLogScore (SEDD.forward post-processing)', () => {
  const logits = tf.tensor3d(
    Array.from({ length: 2 * 2 * 4 }, (_, i) => i / 4),
    [2, 2, 4],
  );
  const idx = tf.tensor2d(
    [
      [3, 0],
      [1, 3],
    ],
    [2, 2],
    'int32',
  );

  it('subtracts log(esigm1(σ)) + log(V − 1) per row, then zeroes the input token', () => {
    const sigma = [0.3, 2.5]; // expm1 branch, exp − 1 branch
    const got = seddLogScore(logits, idx, sigma, { scaleBySigma: true }).arraySync();
    const shift = [Math.log(Math.expm1(0.3)) + Math.log(3), Math.log(Math.exp(2.5) - 1) + Math.log(3)];
    const x = logits.arraySync();
    const ids = [
      [3, 0],
      [1, 3],
    ];
    for (let b = 0; b < 2; b++)
      for (let l = 0; l < 2; l++)
        for (let v = 0; v < 4; v++) {
          const want = v === ids[b]![l] ? 0 : x[b]![l]![v]! - shift[b]!;
          expect(got[b]![l]![v]).toBeCloseTo(want, 5);
        }
  });

  it('without scale_by_sigma (uniform graph) only the scatter applies', () => {
    const got = seddLogScore(logits, idx, [9, 0.49], { scaleBySigma: false }).dataSync();
    const x = logits.dataSync();
    expect(got[3]).toBe(0);
    expect(got[2]).toBe(x[2]);
    expect(got[4]).toBe(0);
    expect(() => seddLogScore(logits, idx, [0, 1], { scaleBySigma: true })).toThrow(/sigma\[0\]/);
    expect(() => seddLogScore(logits, idx, [1], { scaleBySigma: true })).toThrow(/sigma, expected 2 values/);
  });
});
