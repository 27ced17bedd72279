// The tokenizer registry: char, char-vocab, word, gpt2, hf. A tokenizer is built from a spec
// `{name, options?, specials?}`; data-built vocabularies (char-vocab, word) read the training
// text. `tokenizerFromState` rebuilds the identical tokenizer from its saved state.
import { Registry } from '@dlm/core';
import { DataError } from '../errors.ts';
import { charTokenizer } from './char.ts';
import { buildCharVocab, charVocabFromState } from './char-vocab.ts';
import { gpt2Tokenizer } from './gpt2.ts';
import { hfTokenizer } from './hf.ts';
import { canonicalJson, type Tokenizer, type TokenizerState } from './tokenizer.ts';
import { buildWord, wordFromState } from './word.ts';
import { specialsSpecFromState, withSpecials, type SpecialsSpec } from './with-specials.ts';

export interface TokenizerKind {
  /** True when the vocabulary is built from training text (char-vocab, word). */
  readonly needsTrainingText: boolean;
  build(options: Record<string, unknown>, trainingText?: () => AsyncIterable<string>): Promise<Tokenizer>;
  fromState(state: TokenizerState): Promise<Tokenizer>;
}

function needText(name: string, f?: () => AsyncIterable<string>): AsyncIterable<string> {
  if (!f)
    throw new DataError({
      op: `${name} tokenizer`,
      arg: 'trainingText',
      expected: 'the training split to build the vocabulary from',
    });
  return f();
}

export const tokenizers = new Registry<TokenizerKind>('tokenizer', [
  [
    'char',
    {
      needsTrainingText: false,
      build: async (o) => charTokenizer(o),
      fromState: async (s) => charTokenizer(s.options),
    },
  ],
  [
    'char-vocab',
    {
      needsTrainingText: true,
      build: (o, t) => buildCharVocab(o, needText('char-vocab', t)),
      fromState: async (s) => charVocabFromState(s),
    },
  ],
  [
    'word',
    {
      needsTrainingText: true,
      build: (o, t) => buildWord(o, needText('word', t)),
      fromState: async (s) => wordFromState(s),
    },
  ],
  ['gpt2', { needsTrainingText: false, build: (o) => gpt2Tokenizer(o), fromState: () => gpt2Tokenizer({}) }],
  [
    'hf',
    { needsTrainingText: false, build: (o) => hfTokenizer(o), fromState: (s) => hfTokenizer(s.options, s.sha256) },
  ],
]);

export interface TokenizerSpec {
  name: string;
  options?: Record<string, unknown>;
  specials?: SpecialsSpec;
}

/** A stable key for a spec (before any vocabulary is built): used for prepare's cache. */
export function specKey(spec: TokenizerSpec): string {
  return canonicalJson({ name: spec.name, options: spec.options ?? {}, specials: spec.specials ?? {} });
}

export async function buildTokenizer(
  spec: TokenizerSpec,
  trainingText?: () => AsyncIterable<string>,
): Promise<Tokenizer> {
  const base = await tokenizers.get(spec.name).build(spec.options ?? {}, trainingText);
  return spec.specials && Object.keys(spec.specials).length ? withSpecials(base, spec.specials) : base;
}

export async function tokenizerFromState(state: TokenizerState): Promise<Tokenizer> {
  if (state?.version !== 1)
    throw new DataError({ op: 'tokenizerFromState', arg: 'state.version', expected: '1', got: String(state?.version) });
  const { specials, ...baseState } = state;
  const base = await tokenizers.get(state.name).fromState(baseState);
  const spec = specialsSpecFromState(state);
  const t = spec ? withSpecials(base, spec) : base;
  if (specials) {
    for (const [k, v] of Object.entries(specials)) {
      if (t.specials[k as keyof typeof t.specials] !== v.id)
        throw new DataError(
          {
            op: 'tokenizerFromState',
            arg: `specials.${k}`,
            expected: `id ${v.id}`,
            got: String(t.specials[k as keyof typeof t.specials]),
          },
          'rebuilt with a different id',
        );
    }
  }
  return t;
}
