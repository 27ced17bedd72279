// The one tokenizer interface every tokenizer implements, and its serialisable state.
//
// Base tokenizers never invent special tokens: BOS / EOS / PAD / MASK are added by
// `withSpecials` (ids appended after the base vocabulary) so the diffusion process, not the
// tokenizer, owns the mask id. `unk` is listed when the base vocabulary has one.
import { createHash } from 'node:crypto';
import { ConfigError, brief } from '@dlm/core';

export interface SpecialIds {
  bos?: number;
  eos?: number;
  pad?: number;
  mask?: number;
  unk?: number;
}

/** JSON-serialisable state: enough to rebuild the identical tokenizer (`tokenizerFromState`). */
export interface TokenizerState {
  /** Registry key: char, char-vocab, word, gpt2, hf. */
  name: string;
  version: number;
  options: Record<string, unknown>;
  /** Data-built vocabulary (char-vocab, word): id → token string. */
  vocab?: string[];
  /** Fingerprint of an external file the tokenizer was loaded from (hf). */
  sha256?: string;
  /** Set by `withSpecials`: each special's id and whether it was appended. */
  specials?: Record<string, { id: number; appended: boolean }>;
}

export interface Tokenizer {
  readonly name: string;
  /** Number of ids, including appended specials. Every id is in [0, vocabSize). */
  readonly vocabSize: number;
  readonly specials: Readonly<SpecialIds>;
  encode(text: string): Int32Array;
  /**
   * Text of `ids`. `specials: 'show'` (default) prints appended specials as [BOS], [MASK] …;
   * 'skip' drops every special id (appended or reused, e.g. GPT-2's <|endoftext|>) — what a
   * reader of samples wants.
   */
  decode(ids: ArrayLike<number>, opts?: DecodeOptions): string;
  state(): TokenizerState;
}

export interface DecodeOptions {
  specials?: 'show' | 'skip';
}

/** JSON with object keys sorted, so equal states hash equally. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of the canonical JSON state: changes iff the tokenizer's behaviour can change. */
export function stateHash(t: Tokenizer | TokenizerState): string {
  const state = 'state' in t && typeof t.state === 'function' ? t.state() : (t as TokenizerState);
  return sha256Hex(canonicalJson(state));
}

/** Throws ConfigError unless every id is an integer in [0, vocabSize). */
export function checkIds(op: string, ids: ArrayLike<number>, vocabSize: number): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!(Number.isInteger(id) && id >= 0 && id < vocabSize)) {
      throw new ConfigError({ op, arg: `ids[${i}]`, expected: `an integer id in [0, ${vocabSize})`, got: brief(id) });
    }
  }
}
