// The contract between the runner and a model family. A family is a preset (docs/design.md): it
// picks a backbone, a forward process, a schedule, a loss and samplers, and exposes only
// what the runner needs: a training loss, one Monte-Carlo draw of the likelihood bound per
// sequence, and sampling. Everything stochastic takes an Rng, so runs are reproducible and a
// resumed run draws exactly what an uninterrupted one would.
import type { Nd, ParamStore, Rng, tf } from '@dlm/core';
import type { z } from 'zod';

/** Token ids the process owns (docs/design.md: the process owns vocabulary size and the special ids). */
export interface VocabInfo {
  /** Rows of the embedding / columns of the logits, specials included. */
  size: number;
  maskId?: number | undefined;
  bosId?: number | undefined;
  eosId?: number | undefined;
  padId?: number | undefined;
}

export interface TokenBatch {
  /** [B, L] token ids. */
  ids: Nd<Int32Array>;
  /** [B, L] 1 = real token, 0 = padding (absent = all ones). */
  attention?: Nd<Uint8Array> | undefined;
}

/** Per-sequence bound: nats[b] ≥ −log p(x_b) (one Monte-Carlo draw), over tokens[b] tokens. */
export interface NllDraw {
  nats: Float64Array;
  tokens: Float64Array;
}

export interface SampleRequest {
  num: number;
  length: number;
  steps: number;
  /** Family sampler name (`sampling.predictor` in MDLM's configs). */
  sampler: string;
  rng: Rng;
  /** Called after each step with the number of network calls so far. */
  onStep?: ((step: number, nfe: number) => void) | undefined;
}

export interface SampleResult {
  /** [num, length] token ids. */
  ids: Nd<Int32Array>;
  /** Network function evaluations (forward passes of the backbone, counting each batch once). */
  nfe: number;
}

export interface FamilyModel {
  readonly family: string;
  readonly params: ParamStore;
  /** Scalar loss to minimise (called inside ParamStore.valueAndGrads). */
  trainLoss(batch: TokenBatch, rng: Rng): tf.Scalar;
  /** One draw of the per-sequence NELBO (nats) with host numbers. */
  nll(batch: TokenBatch, rng: Rng): NllDraw;
  sample(req: SampleRequest): SampleResult;
  /** Sampler names this family accepts. */
  samplers(): string[];
  dispose(): void;
}

/** A continuous noise schedule, built by the runner from the `noise` slot (@dlm/schedules). */
export interface NoiseSchedule {
  totalNoise(t: number): number;
  rate(t: number): number;
}

export interface FamilyBuildContext<M = Record<string, unknown>> {
  /** The family slot of the experiment (`family: {name: mdlm, ...}`). */
  family: Record<string, unknown>;
  /** The backbone slot (`model: {name: dit, ...}`). */
  model: M;
  /** The schedule of the `noise` slot (`noise: {name: loglinear, eps: ...}`), already built. */
  noise: NoiseSchedule;
  vocab: VocabInfo;
  rng: Rng;
}

export interface FamilyDef {
  name: string;
  /** zod schema of the family slot's own knobs (without `name`). */
  schema: z.ZodObject<z.ZodRawShape>;
  /** Special tokens the family needs from the tokenizer (MDLM: mask, bos, eos). */
  specials: readonly ('bos' | 'eos' | 'pad' | 'mask')[];
  /** When the specials depend on the family's knobs (SEDD: a mask for graph absorb only); else `specials`. */
  specialsFor?: ((family: Record<string, unknown>) => readonly ('bos' | 'eos' | 'pad' | 'mask')[]) | undefined;
  build(ctx: FamilyBuildContext): FamilyModel;
}
