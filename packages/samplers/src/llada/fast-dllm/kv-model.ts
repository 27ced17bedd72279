// What Fast-dLLM's cached generation needs from a LLaDA model (NVlabs/Fast-dLLM llada/model/modeling_llada.py
// LLaDAModelLM.forward(input_ids, past_key_values, use_cache, replace_position) @24cc59e7; fixtures/checkpoints/
// README.md §7.6–7.7). Host-side arrays in and out, like MaskPredictor; the cache lives with the model.
//   full(x):          logits of x [B, L]; the session keeps every layer's keys (before rotary) and values of all L
//   keepPrefix(n):    drops the cached positions ≥ n (prefix cache = the positions before the current block)
//   afterPrefix(x):   x [B, n] at positions [c, c+n) after the c cached positions; keys = cache ++ new, rotary at
//                     0 … c+n−1, queries at c … c+n−1; the cache is not extended
//   replace(x, s):    x [B, n] at positions [s, s+n), overwriting the cache there (dual cache); keys = all cached
//                     positions, queries at s … s+n−1
// Attention is bidirectional over every key, with no mask, as in the Fast-dLLM model copy.
import type { Nd } from '@dlm/core';
import type { LogitsArray, MaskPredictor } from '../types.ts';

/** A KV cache over one generation; every method makes one model call except keepPrefix and dispose. */
export interface LladaKvSession {
  /** @param x [B, L] → logits [B, L, V]; caches all L positions (replacing any earlier cache). */
  full(x: Nd<Int32Array>): LogitsArray;
  /** Keeps the cached positions [0, length). */
  keepPrefix(length: number): void;
  /** @param x [B, n] → logits [B, n, V] of positions [cached, cached + n). */
  afterPrefix(x: Nd<Int32Array>): LogitsArray;
  /** @param x [B, n] → logits [B, n, V] of positions [start, start + n), written into the cache there. */
  replace(x: Nd<Int32Array>, start: number): LogitsArray;
  /** Number of cached positions. */
  readonly cachedLength: number;
  dispose(): void;
}

/** A LLaDA mask predictor that can also run with a KV cache. */
export interface LladaKvModel {
  /** A plain call without cache ([rows, L] → [rows, L, V]). */
  predict: MaskPredictor;
  /** A new, empty cache session (dispose it when the generation ends). */
  openSession(): LladaKvSession;
  /** Frees what the model holds for generation (e.g. its pre-transposed weights); absent = nothing to free. */
  dispose?(): void;
}
