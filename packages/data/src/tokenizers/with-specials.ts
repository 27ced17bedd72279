// withSpecials(tokenizer, {bos, eos, pad, mask}): the only place special tokens are made.
//
// Each special is `true` (append a new id after the base vocabulary) or an existing base id to
// reuse (GPT-2's 50256 as BOS/EOS, BERT's [MASK] = 103). Appended ids are given in the fixed
// order bos, eos, pad, mask, so when the mask is appended it is the last id (MDLM:
// mask_index = vocab_size, SEDD: absorbing state = dim − 1). encode never emits specials; the
// packers insert BOS/EOS/PAD and the diffusion process owns the mask id.
import { ConfigError, brief } from '@dlm/core';
import { DataError } from '../errors.ts';
import type { DecodeOptions, SpecialIds, Tokenizer, TokenizerState } from './tokenizer.ts';

export const SPECIAL_NAMES = ['bos', 'eos', 'pad', 'mask'] as const;
export type SpecialName = (typeof SPECIAL_NAMES)[number];
export type SpecialsSpec = Partial<Record<SpecialName, boolean | number>>;

const DISPLAY: Record<SpecialName, string> = { bos: '[BOS]', eos: '[EOS]', pad: '[PAD]', mask: '[MASK]' };

export function withSpecials(base: Tokenizer, spec: SpecialsSpec): Tokenizer {
  const op = 'withSpecials';
  for (const k of Object.keys(spec)) {
    if (!(SPECIAL_NAMES as readonly string[]).includes(k))
      throw new ConfigError(
        { op, arg: k, expected: `one of ${SPECIAL_NAMES.join(', ')}` },
        'is not a special token name',
      );
  }
  for (const k of SPECIAL_NAMES) {
    if (base.specials[k] !== undefined)
      throw new ConfigError({ op, arg: base.name, expected: 'a base tokenizer without specials' }, `already has ${k}`);
  }
  const specials: SpecialIds = { ...base.specials };
  const recorded: Record<string, { id: number; appended: boolean }> = {};
  const appended = new Map<number, string>();
  let next = base.vocabSize;
  for (const k of SPECIAL_NAMES) {
    const v = spec[k];
    if (v === undefined || v === false) continue;
    if (v === true) {
      specials[k] = next;
      appended.set(next, DISPLAY[k]);
      recorded[k] = { id: next, appended: true };
      next++;
    } else if (Number.isInteger(v) && v >= 0 && v < base.vocabSize) {
      specials[k] = v;
      recorded[k] = { id: v, appended: false };
    } else {
      throw new ConfigError({
        op,
        arg: k,
        expected: `true (append) or an existing id in [0, ${base.vocabSize})`,
        got: brief(v),
      });
    }
  }
  const vocabSize = next;
  return {
    name: base.name,
    vocabSize,
    specials,
    encode: (text: string) => base.encode(text),
    decode(ids: ArrayLike<number>, opts?: DecodeOptions): string {
      // Runs of base ids decode together (BPE pieces join correctly); appended ids print as [MASK] etc.
      const skip = opts?.specials === 'skip';
      const specialIds = new Set(Object.values(specials).filter((x): x is number => x !== undefined));
      let s = '';
      let run: number[] = [];
      const flush = () => {
        if (run.length) s += base.decode(run);
        run = [];
      };
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        const name = appended.get(id);
        if (skip && specialIds.has(id)) {
          flush();
        } else if (name !== undefined) {
          flush();
          s += name;
        } else if (Number.isInteger(id) && id >= 0 && id < base.vocabSize) run.push(id);
        else
          throw new ConfigError({
            op: `${base.name}.decode`,
            arg: `ids[${i}]`,
            expected: `an integer id in [0, ${vocabSize})`,
            got: brief(id),
          });
      }
      flush();
      return s;
    },
    state: (): TokenizerState => ({ ...base.state(), specials: { ...recorded } }),
  };
}

/** The spec that rebuilds `state.specials` (appended → true, reused → its id). */
export function specialsSpecFromState(state: TokenizerState): SpecialsSpec | undefined {
  if (!state.specials) return undefined;
  const spec: SpecialsSpec = {};
  for (const [k, v] of Object.entries(state.specials)) {
    if (!(SPECIAL_NAMES as readonly string[]).includes(k))
      throw new DataError({
        op: 'tokenizerFromState',
        arg: `specials.${k}`,
        expected: `one of ${SPECIAL_NAMES.join(', ')}`,
      });
    spec[k as SpecialName] = v.appended ? true : v.id;
  }
  return spec;
}
