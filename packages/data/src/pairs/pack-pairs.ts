// Fixed-length SFT rows from tokenized pairs (ML-GSAI/LLaDA GUIDELINES.md, SFT):
//   row = [BOS] prompt response [EOS] [EOS] … [EOS]        (length rowLength, EOS-padded)
//   promptLength = 1 + |prompt|  (BOS counts as prompt: prompt positions are never masked)
//   answerLength = rowLength − promptLength (the EOS padding is answer: the model learns to stop)
// The loss (@dlm/losses lladaTrainForward with promptLengths, lladaSftLoss) masks only answer
// positions and divides each row by its answer length. At least one EOS ends every response.
// A pair longer than the row is a PairTooLongError unless `overflow` says 'truncate' (cut the
// response, keep the prompt and one EOS) or 'drop' (skip the pair, counted).
import { ConfigError, brief } from '@dlm/core';
import { DataError } from '../errors.ts';
import type { TokenizedPair } from './tokenize-pairs.ts';

export const PAIR_OVERFLOW = ['error', 'truncate', 'drop'] as const;
export type PairOverflow = (typeof PAIR_OVERFLOW)[number];

export interface PackPairsOptions {
  rowLength: number;
  /** BOS id put before the prompt; omit for a tokenizer without BOS (the row starts with the prompt). */
  bos?: number;
  /** EOS id: ends the response and pads the row. */
  eos: number;
  /** What to do with a pair that does not fit (default 'error'). */
  overflow?: PairOverflow;
}

export interface PackedPairs {
  /** [N, rowLength] int32 row-major. */
  ids: Int32Array;
  shape: [number, number];
  /** [N] prompt positions (BOS + prompt) at the start of each row. */
  promptLengths: Int32Array;
  /** [N] rowLength − promptLength: response + EOS padding. */
  answerLengths: Int32Array;
  /** [N] the pair id of each row. */
  pairIds: string[];
  /** Pairs whose response was cut ('truncate') and pairs left out ('drop'). */
  truncated: number;
  dropped: number;
}

/** A pair whose prompt + response + EOS does not fit the row. */
export class PairTooLongError extends DataError {}

export function packPairs(pairs: readonly TokenizedPair[], opts: PackPairsOptions): PackedPairs {
  const op = 'packPairs';
  const L = opts.rowLength;
  if (!(Number.isSafeInteger(L) && L >= 2)) {
    throw new ConfigError({ op, arg: 'rowLength', expected: 'an integer >= 2', got: brief(L) });
  }
  for (const k of ['bos', 'eos'] as const) {
    const v = opts[k];
    if (v === undefined && k === 'bos') continue;
    if (!(Number.isSafeInteger(v) && v! >= 0)) {
      throw new ConfigError({ op, arg: k, expected: 'a token id (an integer >= 0)', got: brief(v) });
    }
  }
  const overflow = opts.overflow ?? 'error';
  if (!PAIR_OVERFLOW.includes(overflow)) {
    throw new ConfigError({
      op,
      arg: 'overflow',
      expected: `one of ${PAIR_OVERFLOW.join(', ')}`,
      got: brief(overflow),
    });
  }
  const head = opts.bos === undefined ? 0 : 1;
  const rows: { ids: Int32Array; prompt: number; id: string }[] = [];
  let truncated = 0;
  let dropped = 0;
  for (const p of pairs) {
    const promptLength = head + p.prompt.length;
    const room = L - promptLength - 1; // response tokens that fit before the one EOS that must end it
    let response = p.response;
    if (response.length > room) {
      const need = promptLength + p.response.length + 1;
      if (overflow === 'drop') {
        dropped++;
        continue;
      }
      if (overflow === 'error' || room < 0) {
        const why =
          room < 0 ? `the prompt alone needs ${promptLength} + 1 EOS` : `needs ${need} (BOS + prompt + response + EOS)`;
        throw new PairTooLongError(
          {
            op,
            arg: `pair ${p.id}`,
            expected: `at most rowLength ${L} tokens (overflow: 'truncate' cuts the response, 'drop' skips)`,
            got: why,
          },
          'does not fit the row',
        );
      }
      response = response.subarray(0, room);
      truncated++;
    }
    const ids = new Int32Array(L).fill(opts.eos);
    if (opts.bos !== undefined) ids[0] = opts.bos;
    ids.set(p.prompt, head);
    ids.set(response, promptLength);
    rows.push({ ids, prompt: promptLength, id: p.id });
  }
  const n = rows.length;
  const ids = new Int32Array(n * L);
  rows.forEach((r, i) => ids.set(r.ids, i * L));
  const promptLengths = Int32Array.from(rows, (r) => r.prompt);
  return {
    ids,
    shape: [n, L],
    promptLengths,
    answerLengths: Int32Array.from(promptLengths, (p) => L - p),
    pairIds: rows.map((r) => r.id),
    truncated,
    dropped,
  };
}

/**
 * Rows `indices` of a packing as one batch: ids [B, L] and promptLengths [B] (what
 * lladaTrainForward's `promptLengths` takes), plus the [B, L] 0/1 prompt mask.
 */
export interface PairBatch {
  /** [B, L] int32 row-major. */
  ids: Int32Array;
  shape: [number, number];
  /** [B] */
  promptLengths: Int32Array;
  /** [B, L] 1 at prompt positions. */
  promptMask: Uint8Array;
}

export function pairBatch(packed: PackedPairs, indices: readonly number[]): PairBatch {
  const [n, L] = packed.shape;
  const b = indices.length;
  const ids = new Int32Array(b * L);
  const promptLengths = new Int32Array(b);
  const promptMask = new Uint8Array(b * L);
  indices.forEach((r, i) => {
    if (!(Number.isInteger(r) && r >= 0 && r < n)) {
      throw new ConfigError({ op: 'pairBatch', arg: `indices[${i}]`, expected: `a row in [0, ${n})`, got: brief(r) });
    }
    ids.set(packed.ids.subarray(r * L, (r + 1) * L), i * L);
    promptLengths[i] = packed.promptLengths[r]!;
    promptMask.fill(1, i * L, i * L + promptLengths[i]!);
  });
  return { ids, shape: [b, L], promptLengths, promptMask };
}
