import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.ts';
import { tf } from '../tf.ts';
import { assertAllClose } from './all-close.ts';
import { timestepFeatures, timestepFrequencies } from './timestep-features.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('timestepFeatures (SEDD/MDLM TimestepEmbedder)', () => {
  it('256 features: cos(σ·f) first, then sin(σ·f), f_i = exp(−ln(10000)·i/128)', () => {
    const sigma = [0, 0.3, 2.5];
    const got = timestepFeatures(tf.tensor1d(sigma)).dataSync();
    const want: number[] = [];
    for (const s of sigma) {
      const f = Array.from({ length: 128 }, (_, i) => Math.exp((-Math.log(10000) * i) / 128));
      want.push(...f.map((x) => Math.cos(s * x)), ...f.map((x) => Math.sin(s * x)));
    }
    assertAllClose('features', got, want, 1e-5, 1e-6);
    // σ = 0 → [1 × 128, 0 × 128]
    expect(got.slice(0, 128).every((x) => x === 1)).toBe(true);
    expect(got.slice(128, 256).every((x) => x === 0)).toBe(true);
    expect(timestepFrequencies(256)[127]).toBeCloseTo(Math.exp((-Math.log(10000) * 127) / 128), 9);
  });

  it('odd dim gets a zero last column', () => {
    const got = timestepFeatures(tf.tensor1d([1]), 5).dataSync();
    expect(got.length).toBe(5);
    expect(got[0]).toBeCloseTo(Math.cos(1), 6);
    expect(got[2]).toBeCloseTo(Math.sin(1), 6);
    expect(got[4]).toBe(0);
    expect(() => timestepFeatures(tf.zeros([2, 1]))).toThrow(/timestepFeatures: t/);
  });
});
