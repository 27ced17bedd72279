// `char-vocab`: one id per character (Unicode code point) seen in the training text.
// Vocabulary: `<unk>` first (unless unk: false), then every character with count ≥ minCount in
// code-point order, so the same text always gives the same ids. Unseen characters encode to
// `<unk>` (or throw when unk is off).
import { ConfigError } from '@dlm/core';
import { DataError } from '../errors.ts';
import { checkOptions } from '../options.ts';
import { checkIds, type Tokenizer, type TokenizerState } from './tokenizer.ts';

export interface CharVocabOptions {
  lowercase: boolean;
  minCount: number;
  unk: boolean;
}

export const UNK = '<unk>';

function resolveOptions(options: Record<string, unknown>): CharVocabOptions {
  const o = checkOptions<CharVocabOptions>('char-vocab tokenizer', options, {
    lowercase: 'boolean',
    minCount: 'positive-int',
    unk: 'boolean',
  });
  return { lowercase: o.lowercase ?? false, minCount: o.minCount ?? 1, unk: o.unk ?? true };
}

export async function buildCharVocab(
  options: Record<string, unknown>,
  texts: AsyncIterable<string>,
): Promise<Tokenizer> {
  const o = resolveOptions(options);
  const counts = new Map<string, number>();
  for await (const raw of texts) {
    const text = o.lowercase ? raw.toLowerCase() : raw;
    for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  const chars = [...counts].filter(([, n]) => n >= o.minCount).map(([c]) => c);
  chars.sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  if (chars.length === 0)
    throw new DataError(
      { op: 'char-vocab.build', arg: 'training text', expected: `at least one character seen ${o.minCount}+ times` },
      'is empty',
    );
  return charVocabFromVocab(o, o.unk ? [UNK, ...chars] : chars);
}

export function charVocabFromState(state: TokenizerState): Tokenizer {
  if (!Array.isArray(state.vocab))
    throw new DataError({ op: 'char-vocab.fromState', arg: 'state.vocab', expected: 'a list of characters' });
  return charVocabFromVocab(resolveOptions(state.options), state.vocab);
}

function charVocabFromVocab(o: CharVocabOptions, vocab: string[]): Tokenizer {
  const index = new Map(vocab.map((c, i) => [c, i]));
  const unkId = o.unk ? index.get(UNK) : undefined;
  if (o.unk && unkId === undefined)
    throw new DataError({
      op: 'char-vocab.fromState',
      arg: 'state.vocab',
      expected: `to contain ${UNK} when unk is on`,
    });
  return {
    name: 'char-vocab',
    vocabSize: vocab.length,
    specials: unkId === undefined ? {} : { unk: unkId },
    encode(raw: string): Int32Array {
      const text = o.lowercase ? raw.toLowerCase() : raw;
      const ids: number[] = [];
      for (const ch of text) {
        const id = index.get(ch) ?? unkId;
        if (id === undefined) {
          throw new ConfigError({
            op: 'char-vocab.encode',
            arg: 'text',
            expected: 'characters from the vocabulary (or unk: true)',
            got: `${JSON.stringify(ch)} (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`,
          });
        }
        ids.push(id);
      }
      return Int32Array.from(ids);
    },
    decode(ids: ArrayLike<number>): string {
      checkIds('char-vocab.decode', ids, vocab.length);
      let s = '';
      for (let i = 0; i < ids.length; i++) s += vocab[ids[i]!];
      return s;
    },
    state: (): TokenizerState => ({ name: 'char-vocab', version: 1, options: { ...o }, vocab: [...vocab] }),
  };
}
