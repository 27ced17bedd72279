// Tokenized documents as one flat stream plus offsets (the layout of an Arrow List<Int32>):
// document i is values[offsets[i] .. offsets[i+1]).
import { ConfigError } from '@dlm/core';

export interface TokenDocs {
  values: Int32Array; // [total tokens]
  offsets: Int32Array; // [documents + 1], offsets[0] = 0
}

export function tokenDocs(docs: readonly ArrayLike<number>[]): TokenDocs {
  const offsets = new Int32Array(docs.length + 1);
  let total = 0;
  docs.forEach((d, i) => {
    total += d.length;
    if (total > 2 ** 31 - 1)
      throw new ConfigError({ op: 'tokenDocs', arg: 'docs', expected: 'fewer than 2^31 tokens in memory' });
    offsets[i + 1] = total;
  });
  const values = new Int32Array(total);
  docs.forEach((d, i) => values.set(d, offsets[i]!));
  return { values, offsets };
}

export function documentCount(docs: TokenDocs): number {
  return docs.offsets.length - 1;
}

export function documentAt(docs: TokenDocs, i: number): Int32Array {
  return docs.values.subarray(docs.offsets[i]!, docs.offsets[i + 1]!);
}
