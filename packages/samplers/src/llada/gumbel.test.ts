import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, argmaxRows } from '@dlm/core';
import { addGumbelNoise } from './gumbel.ts';

describe('addGumbelNoise (float64 exponential race)', () => {
  it('temperature 0 returns the logits unchanged and needs no draws', () => {
    const logits = [0.5, -1, 2];
    expect(Array.from(addGumbelNoise(logits, 0))).toEqual(logits);
  });

  it('computes exp(logits) / (−log u)^T', () => {
    const got = addGumbelNoise([0, Math.log(2)], 0.5, [Math.exp(-4), Math.exp(-1)]);
    expect(got[0]).toBeCloseTo(1 / 2, 15);
    expect(got[1]).toBeCloseTo(2, 15);
  });

  it('argmax samples softmax(logits / T) (frequency check, fixed seed)', () => {
    const logits = [0, Math.log(2), Math.log(5)];
    const T = 0.7;
    const w = logits.map((z) => Math.exp(z / T));
    const z = w.reduce((a, b) => a + b, 0);
    const rng = Rng.seeded(17);
    const n = 20000;
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const u = [rng.uniformOpen(), rng.uniformOpen(), rng.uniformOpen()];
      counts[argmaxRows(addGumbelNoise(logits, T, u), 3)[0]!]! += 1;
    }
    counts.forEach((c, v) => expect(Math.abs(c / n - w[v]! / z)).toBeLessThan(0.012)); // ~4 standard errors
  });

  it('rejects a negative temperature naming the argument and the op', () => {
    expect(() => addGumbelNoise([0, 1], -0.1, [0.5, 0.5])).toThrow(ConfigError);
    expect(() => addGumbelNoise([0, 1], -0.1, [0.5, 0.5])).toThrow(/addGumbelNoise: temperature/);
  });

  it('argmax: the first index wins ties', () => {
    expect(Array.from(argmaxRows([1, 3, 3, 0, 0, 0], 3))).toEqual([1, 0]);
  });
});
