import { describe, expect, it } from 'vitest';
import type { Nd } from '@dlm/core';
import { guidedDenoiser } from './guidance.ts';

describe('guidedDenoiser', () => {
  it('(1 + w)·f(x | source) − w·f(x | null): source positions after BOS set to E[null] for the second call', () => {
    const seen: number[][] = [];
    // A fake network: records its input and returns 2·x + t.
    const base = (x: Nd, _m: Float64Array, t: Int32Array): Nd => {
      seen.push(Array.from(x.data));
      return { data: x.data.map((v) => 2 * v + t[0]!), shape: x.shape };
    };
    const mask: Nd<Int32Array> = { data: Int32Array.from([0, 0, 1]), shape: [1, 3] }; // BOS, source, target
    const embedding: Nd = { data: Float64Array.from([0, 0, 7, 9]), shape: [2, 2] }; // E[1] = (7, 9) = null
    const g = guidedDenoiser(base, { mask, embedding, nullId: 1, scale: 0.5 });
    const x: Nd = { data: Float64Array.from([1, 2, 3, 4, 5, 6]), shape: [1, 3, 2] };
    const out = g(x, Float64Array.from([0]), Int32Array.from([1]));
    expect(seen[0]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen[1]).toEqual([1, 2, 7, 9, 5, 6]); // BOS kept, source → E[null], target kept
    const cond = [3, 5, 7, 9, 11, 13];
    const unc = [3, 5, 15, 19, 11, 13];
    expect(Array.from(out.data)).toEqual(cond.map((c, i) => 1.5 * c - 0.5 * unc[i]!));
  });
});
