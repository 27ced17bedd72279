// `char`: the text8 character tokenizer. 27 symbols, a–z → ids 0–25 and space → 26 (MDLM's
// Text8Tokenizer uses the same order after its 8 leading specials: our id = MDLM id − 8).
// encode applies text8's character rules (text8-normalize.ts), so any text maps into the 27
// symbols and decode(encode(x)) === text8Normalize(x).
import { checkOptions } from '../options.ts';
import { checkIds, type Tokenizer, type TokenizerState } from './tokenizer.ts';
import { text8Normalize } from './text8-normalize.ts';

export const TEXT8_ALPHABET = 'abcdefghijklmnopqrstuvwxyz ';
const SPACE_ID = 26;

export function charTokenizer(options: Record<string, unknown> = {}): Tokenizer {
  checkOptions('char tokenizer', options, {});
  return {
    name: 'char',
    vocabSize: TEXT8_ALPHABET.length,
    specials: {},
    encode(text: string): Int32Array {
      const s = text8Normalize(text);
      const ids = new Int32Array(s.length);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        ids[i] = c === 32 ? SPACE_ID : c - 97;
      }
      return ids;
    },
    decode(ids: ArrayLike<number>): string {
      checkIds('char.decode', ids, TEXT8_ALPHABET.length);
      let s = '';
      for (let i = 0; i < ids.length; i++) s += TEXT8_ALPHABET[ids[i]!];
      return s;
    },
    state: (): TokenizerState => ({ name: 'char', version: 1, options: {} }),
  };
}
