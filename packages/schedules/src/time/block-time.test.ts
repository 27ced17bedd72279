import { describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@dlm/core';
import { blockTimes, expandBlockTimes, numBlocks } from './block-time.ts';

describe('block diffusion time (BD3-LM _sample_t)', () => {
  it('every position carries the time of its block', () => {
    // B = 2, L = 6, block 2 → 3 blocks per row.
    const t = expandBlockTimes([0.1, 0.5, 0.9, 0.2, 0.4, 0.6], 2, 6, 2);
    expect([...t]).toEqual([0.1, 0.1, 0.5, 0.5, 0.9, 0.9, 0.2, 0.2, 0.4, 0.4, 0.6, 0.6]);
  });

  it('rescales to [epsMin, epsMax]; antithetic spreads the B·nBlocks draws over [0, 1)', () => {
    const u = [0.5, 0.5, 0.5, 0.5];
    const plain = blockTimes(u, { batch: 2, length: 4, blockSize: 2, epsMin: 0.1, epsMax: 0.9 });
    expect([...plain]).toEqual(new Array(8).fill(0.5 * 0.8 + 0.1));
    const anti = blockTimes(u, { batch: 2, length: 4, blockSize: 2, antithetic: true, epsMin: 0, epsMax: 1 });
    // (0.5/4 + i/4) for i = 0..3, each repeated over its block of 2
    expect([...anti]).toEqual([0.125, 0.125, 0.375, 0.375, 0.625, 0.625, 0.875, 0.875]);
    expect([...blockTimes([0.3, 0.7], { batch: 2, length: 4, blockSize: 4, epsMin: 1, epsMax: 1 })]).toEqual(
      new Array(8).fill(1),
    );
  });

  it('a block size equal to L gives one time per sequence', () => {
    const rng = Rng.seeded(3);
    const t = blockTimes(rng.uniforms(3), { batch: 3, length: 5, blockSize: 5 });
    for (let b = 0; b < 3; b++) expect(new Set(t.slice(b * 5, b * 5 + 5)).size).toBe(1);
  });

  it('refuses a block size that does not divide L, bad counts and times outside [0, 1]', () => {
    expect(() => numBlocks(6, 4)).toThrow(ConfigError);
    expect(() => numBlocks(6, 4)).toThrow(/numBlocks: blockSize.*divisor of length 6/);
    expect(() => blockTimes([0.1], { batch: 2, length: 4, blockSize: 2 })).toThrow(/blockTimes: uniforms.*4 values/);
    expect(() => expandBlockTimes([0.1, 1.5], 1, 4, 2)).toThrow(/expandBlockTimes: tPerBlock.*times in \[0, 1\]/);
    expect(() => blockTimes([0.1, 0.2], { batch: 1, length: 4, blockSize: 2, epsMin: 0.5, epsMax: 0.1 })).toThrow(
      /epsMin\/epsMax/,
    );
  });
});
