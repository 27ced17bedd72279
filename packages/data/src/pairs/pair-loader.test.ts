import { describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@dlm/core';
import { packPairs, pairBatch } from './pack-pairs.ts';
import { PairLoader, selectPairs } from './pair-loader.ts';

const BOS = 90,
  EOS = 91;
const packed = packPairs(
  Array.from({ length: 10 }, (_, i) => ({
    id: `p${i}`,
    prompt: Int32Array.from({ length: 1 + (i % 3) }, (_, j) => i + j),
    response: Int32Array.from([i + 40]),
  })),
  { rowLength: 6, bos: BOS, eos: EOS },
);

describe('PairLoader', () => {
  it('batches = pairBatch of the rows the block order picks (ids + prompt mask)', () => {
    const loader = PairLoader.create(packed, { batchSize: 3 }, Rng.seeded(2));
    expect(loader.batchesPerEpoch).toBe(3);
    for (let k = 0; k < 5; k++) {
      const b = loader.next();
      const want = pairBatch(packed, [...b.rows]);
      expect([...b.tokens]).toEqual([...want.ids]);
      expect([...b.promptMask]).toEqual([...want.promptMask]);
      expect(b.shape).toEqual([3, 6]);
    }
  });

  it('restore resumes at exactly the next batch of an uninterrupted loader', () => {
    const a = PairLoader.create(packed, { batchSize: 4 }, Rng.seeded(7));
    const b = PairLoader.create(packed, { batchSize: 4 }, Rng.seeded(7));
    for (let k = 0; k < 3; k++) b.next();
    const c = PairLoader.restore(packed, { batchSize: 4 }, JSON.parse(JSON.stringify(b.state())));
    for (let k = 0; k < 3; k++) a.next();
    for (let k = 0; k < 4; k++) {
      const x = a.next(),
        y = c.next();
      expect([...y.tokens]).toEqual([...x.tokens]);
      expect([...y.promptMask]).toEqual([...x.promptMask]);
    }
    const other = selectPairs(packed, [0, 1, 2, 3, 4]);
    expect(() => PairLoader.restore(other, { batchSize: 4 }, b.state())).toThrow(ConfigError);
  });

  it('selectPairs keeps the rows with their lengths and ids', () => {
    const s = selectPairs(packed, [9, 2]);
    expect(s.shape).toEqual([2, 6]);
    expect([...s.ids.subarray(0, 6)]).toEqual([...packed.ids.subarray(54, 60)]);
    expect([...s.promptLengths]).toEqual([packed.promptLengths[9], packed.promptLengths[2]]);
    expect(s.pairIds).toEqual(['p9', 'p2']);
    expect(() => selectPairs(packed, [10])).toThrow(/indices\[0\]/);
  });
});
