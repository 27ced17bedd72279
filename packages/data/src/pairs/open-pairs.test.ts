import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dlm/core';
import { charTokenizer } from '../tokenizers/char.ts';
import { withSpecials } from '../tokenizers/with-specials.ts';
import { openPairs } from './open-pairs.ts';
import { PairTooLongError } from './pack-pairs.ts';

const dir = mkdtempSync(join(tmpdir(), 'dlm-pairs-open-'));
const path = join(dir, 'sft.jsonl');
writeFileSync(path, '{"prompt": "ab", "response": "ba"}\n{"prompt": "c", "response": "abcab"}\n');

describe('openPairs', () => {
  const tok = withSpecials(charTokenizer(), { bos: true, eos: true, mask: true }); // bos 27, eos 28
  it('prepares (cached), loads and packs with the tokenizer BOS / EOS and the chat template', async () => {
    const out = join(dir, 'prep');
    const a = await openPairs({ path }, tok, { dir: out, rowLength: 9, chatTemplate: '{prompt} ' });
    expect(a.reused).toBe(false);
    expect(Array.from(a.packed.ids)).toEqual(
      [
        [27, 0, 1, 26, 1, 0, 28, 28, 28],
        [27, 2, 26, 0, 1, 2, 0, 1, 28],
      ].flat(),
    );
    expect(Array.from(a.packed.promptLengths)).toEqual([4, 3]);
    const b = await openPairs({ path }, tok, { dir: out, rowLength: 9, chatTemplate: '{prompt} ' });
    expect(b.reused).toBe(true);
    expect(Array.from(b.packed.ids)).toEqual(Array.from(a.packed.ids));
  });
  it('too-long pairs and a tokenizer without EOS are named errors', async () => {
    await expect(openPairs({ path }, tok, { dir: join(dir, 'short'), rowLength: 6 })).rejects.toThrow(PairTooLongError);
    const t = await openPairs({ path }, tok, { dir: join(dir, 'short'), rowLength: 6, overflow: 'truncate' });
    expect(t.packed.truncated).toBe(1);
    const noEos = openPairs({ path }, charTokenizer(), { dir: join(dir, 'x'), rowLength: 8 });
    await expect(noEos).rejects.toThrow(ConfigError);
  });
});
