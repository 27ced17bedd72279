import { describe, expect, it } from 'vitest';
import { Rng, type Nd } from '@dlm/core';
import { semiArSample } from './semi-ar.ts';

const MASK = 99;

describe('semiArSample', () => {
  it('slides the window by stride_length keeping the overlap fixed, and cuts to the length', () => {
    const inits: (Int32Array | undefined)[] = [];
    let counter = 0;
    // Fake window sampler: keeps non-mask init tokens, fills masks with a running counter.
    const sampleWindow = (init: Nd<Int32Array> | undefined) => {
      inits.push(init ? Int32Array.from(init.data) : undefined);
      const x = init ? Int32Array.from(init.data) : new Int32Array(2 * 4).fill(MASK);
      for (let i = 0; i < x.length; i++) if (x[i] === MASK) x[i] = counter++;
      return { x: { data: x, shape: [2, 4] }, nfe: 3 };
    };
    const r = semiArSample({
      num: 2,
      length: 9,
      window: 4,
      strideLength: 2,
      maskIndex: MASK,
      rng: Rng.seeded(0),
      sampleWindow,
    });
    // windows: 1 + ceil((9 − 4)/2) = 4 → NFE 12
    expect(r.nfe).toBe(12);
    expect(r.ids.shape).toEqual([2, 9]);
    // the second window starts with the first window's last 2 tokens of each row, then 2 masks
    expect([...inits[1]!]).toEqual([2, 3, MASK, MASK, 6, 7, MASK, MASK]);
    // row 0: window 0 = 0 1 2 3; then new tails 8 9 | 12 13 | 16 17 → cut to 9
    expect([...r.ids.data.subarray(0, 9)]).toEqual([0, 1, 2, 3, 8, 9, 12, 13, 16]);
    expect([...r.ids.data.subarray(9, 18)]).toEqual([4, 5, 6, 7, 10, 11, 14, 15, 18]);
  });
  it('rejects a stride longer than the window', () => {
    expect(() =>
      semiArSample({
        num: 1,
        length: 9,
        window: 4,
        strideLength: 5,
        maskIndex: MASK,
        rng: Rng.seeded(0),
        sampleWindow: () => ({ x: { data: new Int32Array(4), shape: [1, 4] }, nfe: 1 }),
      }),
    ).toThrow(/stride_length.*\[1, model\.length = 4\]/);
  });
});
