import { describe, expect, it } from 'vitest';
import { Rng } from '@dlm/core';
import type { TokenBatch } from '@dlm/models';
import { estimateTerms } from './terms-estimate.ts';

const batch = (b: number): TokenBatch => ({ ids: { data: new Int32Array(b * 2), shape: [b, 2] } });

describe('estimateTerms', () => {
  it('averages each term over draws per sequence, then mean ± sd/sqrt(n) over sequences', () => {
    let call = 0;
    // Draw d of a call gives sequence i the value i + d (draws 0 and 1 → per-sequence means i + 0.5).
    const model = {
      evalTerms: (x: TokenBatch) => {
        const d = call++ % 2;
        const B = x.ids.shape[0]!;
        return { a: Float64Array.from({ length: B }, (_, i) => i + d), b: new Float64Array(B).fill(3) };
      },
    };
    const r = estimateTerms(model, [batch(4)], Rng.seeded(1), 2);
    expect(r.sequences).toBe(4);
    expect(r.timeSamples).toBe(2);
    expect(r.terms['a']!.mean).toBeCloseTo(2, 12); // (0.5 + 1.5 + 2.5 + 3.5) / 4
    // sd of 0.5..3.5 = sqrt(5/3); se = sqrt(5/3)/2
    expect(r.terms['a']!.stderr).toBeCloseTo(Math.sqrt(5 / 3) / 2, 12);
    expect(r.terms['b']).toEqual({ mean: 3, stderr: 0 });
  });

  it('named errors: no evalTerms, bad timeSamples, no batches', () => {
    expect(() => estimateTerms({}, [batch(1)], Rng.seeded(1), 1)).toThrow(/evalTerms/);
    const m = { evalTerms: () => ({}) };
    expect(() => estimateTerms(m, [batch(1)], Rng.seeded(1), 0)).toThrow(/timeSamples.*positive integer/);
    expect(() => estimateTerms(m, [], Rng.seeded(1), 1)).toThrow(/batches/);
  });
});
