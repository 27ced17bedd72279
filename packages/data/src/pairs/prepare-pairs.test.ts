import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.ts';
import { charTokenizer } from '../tokenizers/char.ts';
import { withSpecials } from '../tokenizers/with-specials.ts';
import { packPairs } from './pack-pairs.ts';
import { PAIRS_MANIFEST_FILE, loadPreparedPairs, preparePairs } from './prepare-pairs.ts';

const dir = mkdtempSync(join(tmpdir(), 'dlm-pairs-prep-'));
const tok = withSpecials(charTokenizer(), { bos: true, eos: true, mask: true }); // bos 27, eos 28, mask 29
const lines = ['{"src": "ab", "trg": "c"}', '{"src": "b", "trg": "aa"}', '{"src": "ccc", "trg": ""}'];
const src = join(dir, 'pairs.jsonl');
writeFileSync(src, `${lines.join('\n')}\n`);
const config = { path: src, source_field: 'src', target_field: 'trg' };

describe('preparePairs / loadPreparedPairs', () => {
  it('writes prompt and response shards + manifest, loads the same pairs, and packs them', async () => {
    const out = join(dir, 'prep');
    const r = await preparePairs(config, tok, out, { shardPairs: 2, chatTemplate: 'a{prompt}' });
    expect(r.reused).toBe(false);
    expect(readdirSync(out).sort()).toEqual([
      PAIRS_MANIFEST_FILE,
      'tokenizer.json',
      'train-prompt-00000.arrow',
      'train-prompt-00001.arrow',
      'train-response-00000.arrow',
      'train-response-00001.arrow',
    ]);
    expect(r.manifest.splits.train).toMatchObject({ pairs: 3, promptTokens: 3 + 2 + 4, responseTokens: 1 + 2 + 0 });
    expect(r.manifest.tokenizer.specials).toEqual({ bos: 27, eos: 28, mask: 29 });
    const loaded = await loadPreparedPairs(out);
    const pairs = loaded.pairs();
    expect(pairs.map((p) => [p.id, Array.from(p.prompt), Array.from(p.response)])).toEqual([
      ['pairs.jsonl:1', [0, 0, 1], [2]],
      ['pairs.jsonl:2', [0, 1], [0, 0]],
      ['pairs.jsonl:3', [0, 2, 2, 2], []],
    ]);
    const { bos, eos } = loaded.tokenizer.specials;
    const packed = packPairs(pairs, { rowLength: 6, bos, eos: eos! });
    expect(Array.from(packed.ids.subarray(0, 6))).toEqual([27, 0, 0, 1, 2, 28]);
    expect(Array.from(packed.promptLengths)).toEqual([4, 3, 5]);
  });

  it('is cached by content: same bytes reuse, changed bytes / template / fields rebuild', async () => {
    const out = join(dir, 'cache');
    expect((await preparePairs(config, tok, out)).reused).toBe(false);
    expect((await preparePairs(config, tok, out)).reused).toBe(true);
    // The same bytes under another name: same key.
    const copy = join(dir, 'copy.jsonl');
    writeFileSync(copy, readFileSync(src));
    expect((await preparePairs({ ...config, path: copy }, tok, out)).reused).toBe(true);
    expect((await preparePairs(config, tok, out, { chatTemplate: '{prompt}a' })).reused).toBe(false);
    expect((await preparePairs(config, tok, out, { chatTemplate: '{prompt}a' })).reused).toBe(true);
    expect((await preparePairs({ ...config, source_field: 'trg', target_field: 'src' }, tok, out)).reused).toBe(false);
    writeFileSync(copy, `${lines[0]}\n`);
    const changed = await preparePairs({ ...config, path: copy }, tok, out, { chatTemplate: '{prompt}a' });
    expect([changed.reused, changed.manifest.splits.train?.pairs]).toEqual([false, 1]);
    const forced = await preparePairs({ ...config, path: copy }, tok, out, { force: true, chatTemplate: '{prompt}a' });
    expect(forced.reused).toBe(false);
  });

  it('a corrupt shard is a DataError naming the file; a missing target field names the row', async () => {
    const out = join(dir, 'corrupt');
    const r = await preparePairs(config, tok, out);
    const shard = join(out, r.manifest.splits.train!.shards[0]!.response.file);
    const bytes = readFileSync(shard);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    writeFileSync(shard, bytes);
    const loaded = await loadPreparedPairs(out);
    expect(() => loaded.pairs()).toThrow(DataError);
    expect(() => loaded.pairs()).toThrow(/train-response-00000\.arrow.*corrupt/);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"src": "a", "trg": "b"}\n{"src": "a"}\n');
    const missing = preparePairs({ ...config, path: bad }, tok, join(dir, 'bad'));
    await expect(missing).rejects.toThrow(/bad\.jsonl row 2 field "trg"/);
    await expect(loadPreparedPairs(join(dir, 'nothing'))).rejects.toThrow(/pairs-manifest\.json/);
  });
});
