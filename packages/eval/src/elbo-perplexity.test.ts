import { describe, expect, it } from 'vitest';
import { Rng } from '@dlm/core';
import type { TokenBatch } from '@dlm/models';
import { estimateNll } from './elbo-perplexity.ts';

const batch = (b: number, l: number): TokenBatch => ({ ids: { data: new Int32Array(b * l), shape: [b, l] } });

describe('estimateNll', () => {
  it('a constant bound gives exact ppl, bits, zero stderr', () => {
    const model = {
      nll: (x: TokenBatch) => ({
        nats: new Float64Array(x.ids.shape[0]!).fill(2 * x.ids.shape[1]!),
        tokens: new Float64Array(x.ids.shape[0]!).fill(x.ids.shape[1]!),
      }),
    };
    const seen: [number, number][] = [];
    const e = estimateNll(model, [batch(3, 4), batch(2, 4)], Rng.seeded(0), 2, (d, t) => seen.push([d, t]));
    expect(seen).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(e.natsPerToken).toBe(2);
    expect(e.perplexity).toBeCloseTo(Math.exp(2), 12);
    expect(e.bitsPerToken).toBeCloseTo(2 / Math.LN2, 12);
    expect(e.stderrNatsPerToken).toBe(0);
    expect(e.sequences).toBe(5);
    expect(e.tokens).toBe(20);
  });

  it('the standard error matches the spread of noisy draws', () => {
    // nats ~ L·(1 + U(−0.5, 0.5)): per-token mean 1, per-draw sd 1/√12; with K draws per sequence
    // and N sequences, se ≈ (1/√12)/√(N·K).
    const model = {
      nll: (x: TokenBatch, rng: Rng) => ({
        nats: Float64Array.from({ length: x.ids.shape[0]! }, () => x.ids.shape[1]! * (0.5 + rng.uniform())),
        tokens: new Float64Array(x.ids.shape[0]!).fill(x.ids.shape[1]!),
      }),
    };
    const batches = Array.from({ length: 50 }, () => batch(8, 4));
    const e = estimateNll(model, batches, Rng.seeded(1), 4);
    const expected = 1 / Math.sqrt(12) / Math.sqrt(400 * 4);
    expect(Math.abs(e.natsPerToken - 1)).toBeLessThan(4 * expected);
    expect(e.stderrNatsPerToken / expected).toBeGreaterThan(0.85);
    expect(e.stderrNatsPerToken / expected).toBeLessThan(1.15);
  });

  it('rejects zero time samples naming the argument', () => {
    expect(() =>
      estimateNll(
        { nll: () => ({ nats: new Float64Array(), tokens: new Float64Array() }) },
        [batch(1, 1)],
        Rng.seeded(0),
        0,
      ),
    ).toThrow(/estimateNll: timeSamples/);
  });
});
