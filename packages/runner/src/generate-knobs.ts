// What every command that generates from prompts shares (`dlm generate`, `dlm eval generate`): the knob flags and
// the check that the model uses each one given, the defaults of LLaDA's generate (ML-GSAI/LLaDA generate.py
// @b7e6c356: gen_length 128, steps = block_length = gen_length, temperature 0, low_confidence remasking, cfg 0),
// the pad id of a left-padded batch, the generated part of a family's output and the decoding of one row.
import { ConfigError, ShapeError, type Nd } from '@dlm/core';
import type { Tokenizer } from '@dlm/data';
import type { GenerateFlag, GenerateKnobs } from '@dlm/models';

/** The knobs as a command takes them (absent = the default). */
export type GenerateKnobOptions = { [K in keyof GenerateKnobs]?: GenerateKnobs[K] | undefined };

export const FLAG_OF_KNOB = {
  genLength: 'gen-length',
  steps: 'steps',
  blockLength: 'block-length',
  temperature: 'temperature',
  remasking: 'remasking',
  cfgScale: 'cfg-scale',
  topK: 'top-k',
  topP: 'top-p',
  cache: 'cache',
  threshold: 'threshold',
  factor: 'factor',
  cacheLoop: 'cache-loop',
} as const satisfies Record<keyof GenerateKnobs, GenerateFlag>;

/** A flag the model cannot use is an error naming the flags it can (`who`: "family ar", "the llada layout"). */
export function checkGenerateFlags(
  o: GenerateKnobOptions,
  allowed: readonly GenerateFlag[],
  who: string,
  op = 'dlm generate',
): void {
  for (const [key, flag] of Object.entries(FLAG_OF_KNOB) as [keyof GenerateKnobs, GenerateFlag][]) {
    if (o[key] !== undefined && !allowed.includes(flag)) {
      const expected = `only the flags of ${who}: ${allowed.map((f) => `--${f}`).join(', ')}`;
      throw new ConfigError({ op, arg: `--${flag}`, expected }, `is not used by ${who}`);
    }
  }
}

/** Defaults of LLaDA's generate: gen_length 128 (or `genLength`), steps = block_length = gen_length, temperature 0. */
export function resolveGenerateKnobs(o: GenerateKnobOptions, genLength = 128): GenerateKnobs {
  const g = o.genLength ?? genLength;
  return {
    genLength: g,
    steps: o.steps ?? g,
    blockLength: o.blockLength ?? g,
    temperature: o.temperature ?? 0,
    remasking: o.remasking ?? 'low_confidence',
    cfgScale: o.cfgScale ?? 0,
    topK: o.topK ?? 0,
    topP: o.topP ?? 1,
    // Fast-dLLM's knobs stay absent unless given: their presence selects its generation (LLaDA).
    ...(o.cache !== undefined ? { cache: o.cache } : {}),
    ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
    ...(o.factor !== undefined ? { factor: o.factor } : {}),
    ...(o.cacheLoop !== undefined ? { cacheLoop: o.cacheLoop } : {}),
  };
}

export interface SpecialIds {
  eosId?: number | undefined;
  padId?: number | undefined;
  bosId?: number | undefined;
  maskId?: number | undefined;
}

/** Pad with the pad id (else EOS, BOS, 0, 1): never with the mask id, which LLaDA would generate over. */
export function generationPadId(s: SpecialIds): number {
  return [s.padId, s.eosId, s.bosId, 0, 1].find((i) => i !== undefined && i !== s.maskId)!;
}

/** [B, P + G] (prompt and generation, as LLaDA's generate returns) or [B, G] → [B, G]. */
export function generatedPart(ids: Nd<Int32Array>, p: number, g: number, op = 'dlm generate'): Nd<Int32Array> {
  const [b, l] = ids.shape as [number, number];
  if (l === g) return ids;
  if (l !== p + g) {
    const expected = `[${b}, ${p + g}] or [${b}, ${g}]`;
    throw new ShapeError({ op: `${op}: model.generate`, arg: 'ids', expected, got: `[${ids.shape}]` });
  }
  const out = new Int32Array(b * g);
  for (let i = 0; i < b; i++) out.set(ids.data.subarray(i * l + p, (i + 1) * l), i * g);
  return { data: out, shape: [b, g] };
}

/** [B, G] → B rows of G ids. */
export function idRows(ids: Nd<Int32Array>): number[][] {
  const [b, g] = ids.shape as [number, number];
  return Array.from({ length: b }, (_, i) => Array.from(ids.data.subarray(i * g, (i + 1) * g)));
}

/**
 * One generated row as text: cut at the first EOS, specials (and `extra` ids: a folder's special added tokens)
 * dropped, decoded (ids joined by spaces when there is no tokenizer).
 */
export function decodeGenerated(
  row: readonly number[],
  s: SpecialIds,
  tokenizer: Tokenizer | undefined,
  extra: readonly number[] = [],
): string {
  const eos = row.indexOf(s.eosId ?? -1);
  const specials = new Set([s.eosId, s.padId, s.bosId, s.maskId, ...extra].filter((i) => i !== undefined));
  const kept = (eos < 0 ? row : row.slice(0, eos)).filter((id) => !specials.has(id));
  if (!tokenizer) return kept.join(' ');
  return tokenizer.decode(
    kept.filter((id) => id < tokenizer.vocabSize),
    { specials: 'skip' },
  );
}
