// `wrap` packing, as MDLM's `wrap: True` (kuleshov-group/mdlm:dataloader.py:_group_texts and
// get_dataset.preprocess_and_tokenize):
//   every document is followed by EOS; the documents are concatenated into one stream; the
//   stream is cut into chunks of length L − 2; each row is [BOS] chunk [EOS]. The tail that
//   does not fill a chunk is dropped. So a row looks like
//     [BOS] …end of doc1 [EOS] doc2 [EOS] start of doc3… [EOS]
//   (MDLM's get_tokenizer comment: "[BOS] sent1 [EOS] sent2-fragment [EOS]").
// MDLM groups per `datasets.map` batch of 1000 documents, dropping a tail per batch; we drop
// only the one tail of the whole split.
import { ConfigError } from '@dlm/core';
import type { SpecialIds } from '../tokenizers/tokenizer.ts';
import type { PackedBlocks } from './packed.ts';
import { documentCount, type TokenDocs } from './token-docs.ts';

export function packWrap(docs: TokenDocs, length: number, specials: SpecialIds): PackedBlocks {
  const { bos, eos } = specials;
  if (bos === undefined || eos === undefined) {
    throw new ConfigError({
      op: 'wrap packing',
      arg: 'specials',
      expected: 'bos and eos ids (e.g. withSpecials(tokenizer, {bos: true, eos: true, …}))',
      got: JSON.stringify(specials),
    });
  }
  if (!Number.isInteger(length) || length < 3)
    throw new ConfigError({
      op: 'wrap packing',
      arg: 'length',
      expected: 'an integer >= 3 (BOS + at least one token + EOS)',
      got: String(length),
    });
  const n = documentCount(docs);
  const chunk = length - 2;
  const streamLength = docs.values.length + n; // every document + its EOS
  const rows = Math.floor(streamLength / chunk);
  const tokens = new Int32Array(rows * length);
  // Walk the virtual stream (doc0, EOS, doc1, EOS, …) and write chunk after chunk.
  let row = 0;
  let col = 0;
  const put = (id: number): boolean => {
    if (row >= rows) return false;
    if (col === 0) tokens[row * length] = bos;
    tokens[row * length + 1 + col] = id;
    if (++col === chunk) {
      tokens[row * length + length - 1] = eos;
      row++;
      col = 0;
    }
    return true;
  };
  outer: for (let d = 0; d < n; d++) {
    for (let i = docs.offsets[d]!; i < docs.offsets[d + 1]!; i++) if (!put(docs.values[i]!)) break outer;
    if (!put(eos)) break;
  }
  return {
    rows,
    length,
    tokens,
    stats: { documents: n, droppedTokens: streamLength - rows * chunk, truncatedDocuments: 0 },
  };
}
