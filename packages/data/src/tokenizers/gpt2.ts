// `gpt2`: GPT-2's byte-level BPE (r50k_base, 50257 ids) via gpt-tokenizer.
// Text is always encoded as ordinary text: a literal "<|endoftext|>" in a document becomes the
// BPE pieces of those characters, never id 50256. MDLM/SEDD use 50256 as BOS and EOS; say so
// with `withSpecials(gpt2, {bos: 50256, eos: 50256, mask: true})` (mask appended → 50257).
import { checkOptions } from '../options.ts';
import { checkIds, type Tokenizer, type TokenizerState } from './tokenizer.ts';

const NO_SPECIALS = new Set<string>();

export async function gpt2Tokenizer(options: Record<string, unknown> = {}): Promise<Tokenizer> {
  checkOptions('gpt2 tokenizer', options, {});
  // Loaded on use: the BPE ranks are ~1 MB of JS.
  const bpe = await import('gpt-tokenizer/encoding/r50k_base');
  const vocabSize = bpe.vocabularySize;
  return {
    name: 'gpt2',
    vocabSize,
    specials: {},
    encode: (text: string) => Int32Array.from(bpe.encode(text, { disallowedSpecial: NO_SPECIALS })),
    decode(ids: ArrayLike<number>): string {
      checkIds('gpt2.decode', ids, vocabSize);
      return bpe.decode(Array.from(ids));
    },
    state: (): TokenizerState => ({ name: 'gpt2', version: 1, options: { encoding: 'r50k_base' } }),
  };
}
