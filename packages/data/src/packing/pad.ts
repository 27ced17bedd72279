// `pad` packing: one document per row, as MDLM's `wrap: False` (tokenizer called with
// max_length = L, padding='max_length', truncation=True, add_special_tokens=True):
//   row = [BOS] document[: L − #specials] [EOS] [PAD] …, attention mask 1 up to and including
//   EOS. BOS / EOS are used when the tokenizer has them; PAD is required. Longer documents are
//   truncated on the right (counted in stats.truncatedDocuments).
import { ConfigError } from '@dlm/core';
import type { SpecialIds } from '../tokenizers/tokenizer.ts';
import type { PackedBlocks } from './packed.ts';
import { documentCount, type TokenDocs } from './token-docs.ts';

export function packPad(docs: TokenDocs, length: number, specials: SpecialIds): PackedBlocks {
  const { bos, eos, pad } = specials;
  if (pad === undefined)
    throw new ConfigError({
      op: 'pad packing',
      arg: 'specials',
      expected: 'a pad id (withSpecials(tokenizer, {pad: true, …}))',
      got: JSON.stringify(specials),
    });
  const extra = (bos === undefined ? 0 : 1) + (eos === undefined ? 0 : 1);
  if (!Number.isInteger(length) || length <= extra)
    throw new ConfigError({
      op: 'pad packing',
      arg: 'length',
      expected: `an integer > ${extra} (room for the specials and one token)`,
      got: String(length),
    });
  const rows = documentCount(docs);
  const room = length - extra;
  const tokens = new Int32Array(rows * length).fill(pad);
  const attentionMask = new Uint8Array(rows * length);
  let truncated = 0;
  let dropped = 0;
  for (let r = 0; r < rows; r++) {
    const start = docs.offsets[r]!;
    const len = docs.offsets[r + 1]! - start;
    const keep = Math.min(len, room);
    if (keep < len) {
      truncated++;
      dropped += len - keep;
    }
    let c = r * length;
    if (bos !== undefined) tokens[c++] = bos;
    tokens.set(docs.values.subarray(start, start + keep), c);
    c += keep;
    if (eos !== undefined) tokens[c++] = eos;
    attentionMask.fill(1, r * length, c);
  }
  return {
    rows,
    length,
    tokens,
    attentionMask,
    stats: { documents: rows, droppedTokens: dropped, truncatedDocuments: truncated },
  };
}
