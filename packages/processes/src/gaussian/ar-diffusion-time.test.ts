import { describe, expect, it } from 'vitest';
import { arDiffusionTimesteps } from '@dlm/schedules';
import { arDiffusionPositionTimesteps, targetLengths } from './ar-diffusion-time.ts';

describe('AR-Diffusion time over the target positions', () => {
  // Row 0: source of 3 (BOS + 2), target of 4; row 1: source of 2, target of 5.
  const mask = { data: Int32Array.of(0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1), shape: [2, 7] };
  const T = 6;

  it('source positions at 0; the k-th target position at arDiffusionTimesteps(s, N_b, T)[k]', () => {
    expect(Array.from(targetLengths(mask))).toEqual([4, 5]);
    const s = [5, 7];
    const t = arDiffusionPositionTimesteps(mask, s, T, 2);
    const r0 = arDiffusionTimesteps(5, 4, T);
    const r1 = arDiffusionTimesteps(7, 5, T);
    expect(Array.from(t)).toEqual([0, 0, 0, ...r0, 0, 0, ...r1]);
    // Non-decreasing left to right over each row's target; the numbers themselves (N = 4, T = 6, s = 5: start
    // (0, 2), anchor (8, 5): τ(n) = 2 + 3n/8 → [2, 2.375, 2.75, 3.125] → [2, 2, 3, 3]).
    expect(Array.from(r0)).toEqual([2, 2, 3, 3]);
  });

  it('end_point_scale moves the anchor; steps past a row’s last read as all T − 1; s = 0 is all clean', () => {
    const a = arDiffusionPositionTimesteps(mask, [3, 3], T, 3);
    expect(Array.from(a.subarray(3, 7))).toEqual(Array.from(arDiffusionTimesteps(3, 4, T, { scale: 3 })));
    // Row 0 has 4 + 6 = 10 sentence steps (0 … 9); step 10 (row 1's last) reads as 9 for it.
    const last = arDiffusionPositionTimesteps(mask, [10, 10], T);
    expect(Array.from(last)).toEqual([0, 0, 0, 5, 5, 5, 5, 0, 0, 5, 5, 5, 5, 5]);
    expect(Array.from(arDiffusionPositionTimesteps(mask, [0, 0], T))).toEqual(new Array(14).fill(0));
  });

  it('named errors', () => {
    expect(() => arDiffusionPositionTimesteps(mask, [1], T)).toThrow(/arDiffusionPositionTimesteps: s.*2 sentence/);
    expect(() => arDiffusionPositionTimesteps(mask, [1, -1], T)).toThrow(/s\[1\].*non-negative/);
    expect(() => arDiffusionPositionTimesteps(mask, [1, 1], T, 1)).toThrow(/arDiffusionTimesteps: scale/);
  });
});
