// Types shared by the MDLM sampler updates.
import type { Nd } from '@dlm/core';
import type { NoiseSchedule } from '@dlm/schedules';

/** Backbone logits, row-major [B, L, V] (Float32 from a network, Float64 from a replay). */
export type LogitsArray = Float32Array | Float64Array;

/** The MDLM backbone: tokens [B, L] and the noise level σ per row [B] → logits [B, L, V]. */
export type MdlmBackbone = (x: Nd<Int32Array>, sigma: Float64Array) => LogitsArray;

export interface MdlmStepContext {
  backbone: MdlmBackbone;
  noise: NoiseSchedule;
  vocabSize: number;
  /** The mask token's column (MDLM: the last one, or the tokenizer's mask token). */
  maskIndex: number;
  /** MDLM default false: the backbone receives σ = 0 (kuleshov-group/mdlm:diffusion.py:_process_sigma). */
  timeConditioning?: boolean;
}
