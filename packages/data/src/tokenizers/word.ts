// `word`: words and punctuation marks as tokens, vocabulary built from the training text.
//
// Split: a token is a run of letters/marks/digits, optionally with inner apostrophes
// ("don't", "whale's"), or a single other non-space character (punctuation); whitespace only
// separates. Vocabulary: `<unk>` = id 0, then tokens with count ≥ minCount by descending count,
// ties in code-unit order; `maxVocab` caps the size (including `<unk>`). decode joins tokens
// with one space, except no space before closing punctuation and after opening brackets, so
// decode is lossy about the original spacing.
import { DataError } from '../errors.ts';
import { checkOptions } from '../options.ts';
import { UNK } from './char-vocab.ts';
import { checkIds, type Tokenizer, type TokenizerState } from './tokenizer.ts';

export interface WordOptions {
  lowercase: boolean;
  minCount: number;
  maxVocab?: number;
}

const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;
const NO_SPACE_BEFORE = new Set(['.', ',', ';', ':', '!', '?', ')', ']', '}', '%']);
const NO_SPACE_AFTER = new Set(['(', '[', '{']);

export function splitWords(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

function resolveOptions(options: Record<string, unknown>): WordOptions {
  const o = checkOptions<WordOptions>('word tokenizer', options, {
    lowercase: 'boolean',
    minCount: 'positive-int',
    maxVocab: 'positive-int',
  });
  return {
    lowercase: o.lowercase ?? false,
    minCount: o.minCount ?? 2,
    ...(o.maxVocab !== undefined ? { maxVocab: o.maxVocab } : {}),
  };
}

export async function buildWord(options: Record<string, unknown>, texts: AsyncIterable<string>): Promise<Tokenizer> {
  const o = resolveOptions(options);
  const counts = new Map<string, number>();
  for await (const raw of texts) {
    for (const w of splitWords(o.lowercase ? raw.toLowerCase() : raw)) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  let words = [...counts].filter(([, n]) => n >= o.minCount);
  words.sort(([a, na], [b, nb]) => nb - na || (a < b ? -1 : a > b ? 1 : 0));
  if (o.maxVocab !== undefined) words = words.slice(0, Math.max(0, o.maxVocab - 1));
  if (words.length === 0)
    throw new DataError(
      { op: 'word.build', arg: 'training text', expected: `at least one word seen ${o.minCount}+ times` },
      'gives an empty vocabulary',
    );
  return wordFromVocab(o, [UNK, ...words.map(([w]) => w)]);
}

export function wordFromState(state: TokenizerState): Tokenizer {
  if (!Array.isArray(state.vocab) || state.vocab[0] !== UNK)
    throw new DataError({ op: 'word.fromState', arg: 'state.vocab', expected: `a list of words starting with ${UNK}` });
  return wordFromVocab(resolveOptions(state.options), state.vocab);
}

function wordFromVocab(o: WordOptions, vocab: string[]): Tokenizer {
  const index = new Map(vocab.map((w, i) => [w, i]));
  return {
    name: 'word',
    vocabSize: vocab.length,
    specials: { unk: 0 },
    encode(raw: string): Int32Array {
      const words = splitWords(o.lowercase ? raw.toLowerCase() : raw);
      const ids = new Int32Array(words.length);
      for (let i = 0; i < words.length; i++) ids[i] = index.get(words[i]!) ?? 0;
      return ids;
    },
    decode(ids: ArrayLike<number>): string {
      checkIds('word.decode', ids, vocab.length);
      let s = '';
      let prev = '';
      for (let i = 0; i < ids.length; i++) {
        const w = vocab[ids[i]!]!;
        if (i > 0 && !NO_SPACE_BEFORE.has(w) && !NO_SPACE_AFTER.has(prev)) s += ' ';
        s += w;
        prev = w;
      }
      return s;
    },
    state: (): TokenizerState => ({ name: 'word', version: 1, options: { ...o }, vocab: [...vocab] }),
  };
}
