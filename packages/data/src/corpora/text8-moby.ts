// `text8-moby`: a text8-style character corpus made from Moby-Dick, small enough for CI.
// The moby-dick documents (book order, without Contents) are normalized with text8's character
// rules (a–z and single spaces; digits spelled out), trimmed, and joined with one space into a
// single stream; the stream is split by characters 90/5/5 exactly as text8 is. Each split is
// one document; pack it with `chunk` (contiguous blocks, no separators) for the D3PM / MD4
// text8 setup (27 symbols, length 256).
import type { SplitName } from '../document.ts';
import { text8Normalize } from '../tokenizers/text8-normalize.ts';
import type { DatasetEntry } from './dataset.ts';
import { mobyDick, mobyDickDocuments } from './moby-dick.ts';
import { CHARACTER_SPLIT_RULE, characterSplitRange } from './splits.ts';

let stream: string | undefined;

export function text8MobyStream(): string {
  stream ??= mobyDickDocuments()
    .map((d) => text8Normalize(d.text).trim())
    .filter(Boolean)
    .join(' ');
  return stream;
}

export function text8Moby(): DatasetEntry {
  const base = mobyDick();
  return {
    name: 'text8-moby',
    description: 'Moby-Dick as a text8-style character stream (a–z and space), split 90/5/5 by characters',
    source: base.source,
    licence: base.licence,
    splitRule: CHARACTER_SPLIT_RULE,
    splits: ['train', 'validation', 'test'],
    defaultTokenizer: 'char',
    fingerprint: async () => `${await base.fingerprint()}; text8 rules, joined by one space`,
    async *documents(split: SplitName) {
      const s = text8MobyStream();
      const [a, b] = characterSplitRange(s.length, split);
      yield { id: `text8-moby:${split}`, text: s.slice(a, b) };
    },
  };
}
