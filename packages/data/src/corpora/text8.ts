// `text8`: the first 10^8 bytes of an English Wikipedia dump cleaned to a–z and space (Matt
// Mahoney, http://mattmahoney.net/dc/text8.zip). Not bundled: it reads the unzipped file
// `<rawDir>/text8` (see datasets/text8.md for the download). Splits as D3PM / MDLM:
// 90M / 5M / 5M characters. Each split is yielded as 1,000,000-character documents cut at exact
// offsets (so memory stays bounded); pack with `chunk` to get the contiguous stream back.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { SplitName } from '../document.ts';
import { DataError } from '../errors.ts';
import type { DatasetEntry, DatasetOptions } from './dataset.ts';
import { CHARACTER_SPLIT_RULE, characterSplitRange } from './splits.ts';

export const TEXT8_PIECE = 1_000_000;

export function text8(options: DatasetOptions = {}): DatasetEntry {
  const path = resolve(join(options.rawDir ?? 'data/raw', 'text8'));
  const check = () => {
    if (!existsSync(path)) {
      throw new DataError(
        {
          op: 'dataset text8',
          arg: path,
          expected:
            'the unzipped text8 file (datasets/text8.md: curl -LO http://mattmahoney.net/dc/text8.zip && unzip text8.zip -d data/raw)',
        },
        'not found',
      );
    }
  };
  return {
    name: 'text8',
    description: 'text8: 10^8 characters of cleaned English Wikipedia (a–z and space)',
    source: 'http://mattmahoney.net/dc/text8.zip (local file)',
    licence: 'Wikipedia text, CC BY-SA',
    splitRule: CHARACTER_SPLIT_RULE,
    splits: ['train', 'validation', 'test'],
    defaultTokenizer: 'char',
    async fingerprint() {
      check();
      const h = createHash('sha256');
      for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
      return `text8 ${statSync(path).size} bytes sha256 ${h.digest('hex')}`;
    },
    async *documents(split: SplitName) {
      check();
      const s = readFileSync(path, 'latin1');
      const [a, b] = characterSplitRange(s.length, split);
      for (let i = a, k = 0; i < b; i += TEXT8_PIECE, k++)
        yield { id: `text8:${split}:${k}`, text: s.slice(i, Math.min(b, i + TEXT8_PIECE)) };
    },
  };
}
