import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@dlm/core';
import { describe, expect, it } from 'vitest';
import { BlockLoader } from './loader/block-loader.ts';
import { defaultPreparedDir, openData } from './pipeline.ts';

describe('openData', () => {
  it('prepares text8-moby, applies specials after the base vocabulary and packs MDLM-style wrap blocks', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dlm-open-')), 'p');
    const data = await openData({
      dataset: 'text8-moby',
      tokenizer: { name: 'char', specials: { bos: true, eos: true, mask: true } },
      packing: 'wrap',
      length: 128,
      preparedDir: dir,
    });
    expect(data.tokenizer.specials).toEqual({ bos: 27, eos: 28, mask: 29 });
    expect(data.tokenizer.vocabSize).toBe(30);
    const v = data.blocks('validation');
    // one document of 58,423 characters + EOS, in chunks of 126
    expect(v.rows).toBe(Math.floor(58_424 / 126));
    expect(v.tokens[0]).toBe(27);
    expect(v.tokens[127]).toBe(28);
    expect(data.tokenizer.decode(v.tokens.subarray(1, 40))).toBe(
      data.prepared.tokenizer.decode(data.prepared.split('validation').values.subarray(0, 39)),
    );
    const batch = new BlockLoader(data.blocks('train'), { batchSize: 4 }, Rng.seeded(0).split('data')).next();
    expect(batch.shape).toEqual([4, 128]);
    // A second open with other specials/packing reuses the same shards.
    const again = await openData({
      dataset: 'text8-moby',
      tokenizer: { name: 'char' },
      packing: 'chunk',
      length: 256,
      preparedDir: dir,
    });
    expect(again.prepareResult.reused).toBe(true);
    expect(again.blocks('test').rows).toBe(Math.floor(58_424 / 256));
  });
  it('names prepared folders by dataset and tokenizer', () => {
    expect(defaultPreparedDir('sotu', { name: 'gpt2' }, '/cache')).toBe('/cache/sotu/gpt2');
    expect(defaultPreparedDir('sotu', { name: 'word', options: { minCount: 3 } }, '/cache')).toMatch(
      /^\/cache\/sotu\/word-[0-9a-f]{8}$/,
    );
  });
});
