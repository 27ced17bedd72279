// A remasking rule scores each position's proposed token; the top-k masked positions of the
// current block are committed (ML-GSAI/LLaDA:generate.py:generate).
import type { LladaDraws } from '../draws.ts';

export interface ConfidenceArgs {
  /** CFG-combined logits, float64 [B, L, V] (not Gumbel-perturbed). */
  logits: Float64Array;
  /** Proposed tokens x0 = argmax of the perturbed logits, [B, L]. */
  x0: Int32Array;
  rows: number;
  length: number;
  vocabSize: number;
  /** Global step index (for draws). */
  step: number;
  draws: LladaDraws | undefined;
}

export interface Remasking {
  readonly name: string;
  /** Confidence [B, L] (float64): higher is committed first. */
  confidence(args: ConfidenceArgs): Float64Array;
}
