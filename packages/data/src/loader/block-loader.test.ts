import { ConfigError, Rng } from '@dlm/core';
import { describe, expect, it } from 'vitest';
import { packBlocks } from '../packing/registry.ts';
import { tokenDocs } from '../packing/token-docs.ts';
import { BlockLoader, type Batch } from './block-loader.ts';

// 10 rows of length 4; row r holds [4r, 4r+1, 4r+2, 4r+3] so a batch reveals its rows.
const blocks = packBlocks(tokenDocs([Array.from({ length: 40 }, (_, i) => i)]), 'chunk', 4);
const take = (l: BlockLoader, n: number): Batch[] => Array.from({ length: n }, () => l.next());
const rowsOf = (bs: Batch[]) => bs.map((b) => Array.from(b.rows));

describe('BlockLoader', () => {
  it('gives [B, L] int32 batches whose tokens are the chosen rows', () => {
    const l = new BlockLoader(blocks, { batchSize: 3 }, Rng.seeded(1));
    const b = l.next();
    expect(b.shape).toEqual([3, 4]);
    expect(b.tokens).toBeInstanceOf(Int32Array);
    expect(Array.from(b.tokens)).toEqual(Array.from(b.rows).flatMap((r) => [4 * r, 4 * r + 1, 4 * r + 2, 4 * r + 3]));
  });

  it('visits every row once per epoch (dropLast off), in a new order each epoch', () => {
    const l = new BlockLoader(blocks, { batchSize: 3, dropLast: false }, Rng.seeded(7));
    expect(l.batchesPerEpoch).toBe(4);
    const e0 = take(l, 4);
    const e1 = take(l, 4);
    expect(e0.map((b) => b.epoch)).toEqual([0, 0, 0, 0]);
    expect(e1.map((b) => b.epoch)).toEqual([1, 1, 1, 1]);
    expect(e0[3]!.shape).toEqual([1, 4]);
    const flat0 = rowsOf(e0).flat();
    const flat1 = rowsOf(e1).flat();
    expect([...flat0].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...flat1].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(flat0).not.toEqual(flat1);
  });

  it('same seed → same batches; another seed → another order; shuffle off → in order', () => {
    const a = rowsOf(take(new BlockLoader(blocks, { batchSize: 2 }, Rng.seeded(3)), 8));
    const b = rowsOf(take(new BlockLoader(blocks, { batchSize: 2 }, Rng.seeded(3)), 8));
    const c = rowsOf(take(new BlockLoader(blocks, { batchSize: 2 }, Rng.seeded(4)), 8));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(rowsOf(take(new BlockLoader(blocks, { batchSize: 5, shuffle: false }, Rng.seeded(3)), 2))).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ]);
  });

  it('drops the last partial batch by default', () => {
    const l = new BlockLoader(blocks, { batchSize: 3 }, Rng.seeded(0));
    expect(l.batchesPerEpoch).toBe(3);
    const bs = take(l, 4);
    expect(bs.map((b) => [b.epoch, b.index, b.shape[0]])).toEqual([
      [0, 0, 3],
      [0, 1, 3],
      [0, 2, 3],
      [1, 0, 3],
    ]);
  });

  it('resumes at the exact batch: k batches, save, restore (through JSON) = uninterrupted', () => {
    for (const k of [0, 1, 2, 3, 4, 7]) {
      const straight = new BlockLoader(blocks, { batchSize: 3 }, Rng.seeded(11));
      const expected = take(straight, k + 5).slice(k);
      const first = new BlockLoader(blocks, { batchSize: 3 }, Rng.seeded(11));
      take(first, k);
      const saved = JSON.parse(JSON.stringify(first.state()));
      const resumed = BlockLoader.restore(blocks, { batchSize: 3 }, saved);
      const got = take(resumed, 5);
      expect(got.map((b) => [b.epoch, b.index, Array.from(b.tokens)])).toEqual(
        expected.map((b) => [b.epoch, b.index, Array.from(b.tokens)]),
      );
    }
  });

  it('carries the attention mask of padded blocks', () => {
    const padded = packBlocks(tokenDocs([[1], [2, 3], [4, 5, 6]]), 'pad', 4, { pad: 0, eos: 9 });
    const l = new BlockLoader(padded, { batchSize: 3, shuffle: false }, Rng.seeded(0));
    const b = l.next();
    expect(Array.from(b.attentionMask!)).toEqual([1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1]);
  });

  it('rejects a batch larger than the data and a state from other data', () => {
    expect(() => new BlockLoader(blocks, { batchSize: 11 }, Rng.seeded(0))).toThrow(ConfigError);
    const s = new BlockLoader(blocks, { batchSize: 2 }, Rng.seeded(0)).state();
    expect(() => BlockLoader.restore(blocks, { batchSize: 5 }, s)).toThrow(/batchSize 2/);
  });
});
