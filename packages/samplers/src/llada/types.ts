// Types shared by the LLaDA sampler and the Monte Carlo likelihood (@dlm/eval).
import type { Nd } from '@dlm/core';

/** Model logits as they come from a backbone or a replay: row-major [rows, L, V]. */
export type LogitsArray = Float32Array | Float64Array;

/**
 * A mask predictor: token ids `x` [rows, L] (int32) and an optional 0/1 attention mask
 * [rows, L] → logits [rows, L, V]. No time input: LLaDA's network is time-independent.
 */
export type MaskPredictor = (x: Nd<Int32Array>, attentionMask?: Nd<Int32Array>) => LogitsArray;
