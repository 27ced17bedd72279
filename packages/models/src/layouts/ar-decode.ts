// Left-to-right decoding for an autoregressive layout (the extension point of the gpt2 layout): each
// step asks the model for the next-token logits of every row and draws one token with the float64
// categorical of @dlm/core (temperature, then top-k, then top-p, as Hugging Face's warpers; temperature 0
// = argmax, deterministic). The model owns its KV cache behind `next`.
import { ConfigError, brief, sampleCategorical, type Nd, type Rng } from '@dlm/core';
import type { GenerateKnobs } from './layout.ts';

/**
 * The model side of one decoding step. `ids` [B, P + t] is the left-padded prompt and the t tokens
 * generated so far (a cached model reads only the new column); `attention` [B, P + t] is 0 on the
 * padding. Returns the logits of the next token, [B, V] row-major.
 */
export type NextTokenLogits = (
  ids: Nd<Int32Array>,
  attention: Nd<Int32Array>,
  step: number,
) => Float32Array | Float64Array;

/** The knobs of AR decoding: gen-length ≥ 1, temperature ≥ 0, top-k an integer ≥ 0 (0 = off), top-p in (0, 1]. */
export function checkArKnobs(op: string, k: GenerateKnobs): void {
  if (!(Number.isInteger(k.genLength) && k.genLength > 0)) {
    throw new ConfigError({ op, arg: '--gen-length', expected: 'an integer ≥ 1', got: brief(k.genLength) });
  }
  if (!(Number.isFinite(k.temperature) && k.temperature >= 0)) {
    throw new ConfigError({
      op,
      arg: '--temperature',
      expected: 'a finite number ≥ 0 (0 = argmax)',
      got: brief(k.temperature),
    });
  }
  if (!(Number.isInteger(k.topK) && k.topK >= 0)) {
    throw new ConfigError({ op, arg: '--top-k', expected: 'an integer ≥ 1 (0 = off)', got: brief(k.topK) });
  }
  if (!(k.topP > 0 && k.topP <= 1)) {
    throw new ConfigError({ op, arg: '--top-p', expected: 'a number in (0, 1] (1 = off)', got: brief(k.topP) });
  }
}

/**
 * @param prompt [B, P] left-padded prompt ids; `attention` [B, P] (absent = all ones)
 * @returns ids [B, genLength] (every generated position, not cut at EOS) and nfe = genLength model calls
 */
export function arGenerate(
  next: NextTokenLogits,
  req: { prompt: Nd<Int32Array>; attention?: Nd<Int32Array> | undefined; rng: Rng } & GenerateKnobs,
  vocabSize: number,
): { ids: Nd<Int32Array>; nfe: number } {
  checkArKnobs('arGenerate', req);
  const [B, P] = req.prompt.shape as [number, number];
  const G = req.genLength;
  const L = P + G;
  const ids = new Int32Array(B * L);
  const att = new Int32Array(B * L).fill(1);
  for (let b = 0; b < B; b++) {
    ids.set(req.prompt.data.subarray(b * P, (b + 1) * P), b * L);
    if (req.attention) att.set(req.attention.data.subarray(b * P, (b + 1) * P), b * L);
  }
  const out = new Int32Array(B * G);
  const opts = {
    temperature: req.temperature,
    ...(req.topK > 0 ? { topK: req.topK } : {}),
    ...(req.topP < 1 ? { topP: req.topP } : {}),
  };
  for (let t = 0; t < G; t++) {
    const n = P + t;
    // The first n columns of every row: [B, n].
    const view = (a: Int32Array) => {
      const v = new Int32Array(B * n);
      for (let b = 0; b < B; b++) v.set(a.subarray(b * L, b * L + n), b * n);
      return { data: v, shape: [B, n] };
    };
    const logits = next(view(ids), view(att), t);
    if (logits.length !== B * vocabSize) {
      throw new ConfigError({
        op: 'arGenerate',
        arg: 'next()',
        expected: `${B}×${vocabSize} logits`,
        got: `${logits.length}`,
      });
    }
    const tok = sampleCategorical(req.rng, { logits: { data: logits, shape: [B, vocabSize] } }, opts);
    for (let b = 0; b < B; b++) {
      ids[b * L + n] = tok.data[b]!;
      out[b * G + t] = tok.data[b]!;
    }
  }
  return { ids: { data: out, shape: [B, G] }, nfe: G };
}
