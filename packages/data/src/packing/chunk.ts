// `chunk` packing: the documents concatenated with no separators and cut into rows of length
// L; the last partial row is dropped. This is the text8 setup of D3PM / MD4 / SEDD (27
// symbols, L = 256, drop_last; kuleshov-group/mdlm:dataloader.py:get_text8_dataset chunks the
// character stream the same way before its own wrapping).
import { ConfigError } from '@dlm/core';
import type { PackedBlocks } from './packed.ts';
import { documentCount, type TokenDocs } from './token-docs.ts';

export function packChunk(docs: TokenDocs, length: number): PackedBlocks {
  if (!Number.isInteger(length) || length < 1)
    throw new ConfigError({ op: 'chunk packing', arg: 'length', expected: 'a positive integer', got: String(length) });
  const rows = Math.floor(docs.values.length / length);
  return {
    rows,
    length,
    tokens: docs.values.slice(0, rows * length),
    stats: { documents: documentCount(docs), droppedTokens: docs.values.length - rows * length, truncatedDocuments: 0 },
  };
}
