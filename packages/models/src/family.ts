// The contract between the runner and a model family. A family is a preset: it
// picks a backbone, a forward process, a schedule, a loss and samplers, and exposes only
// what the runner needs: a training loss, one Monte-Carlo draw of the likelihood bound per
// sequence, and sampling. Everything stochastic takes an Rng, so runs are reproducible and a
// resumed run draws exactly what an uninterrupted one would.
import type { Nd, ParamStore, Rng, tf } from '@dlm/core';
import type { GaussianEmbeddingProcess } from '@dlm/processes';
import type { BenchVariant, GaussianStepControl } from '@dlm/samplers';
import type { NoiseSchedule } from '@dlm/schedules';
import type { z } from 'zod';
import type { GenerateFlag, GenerateKnobs } from './layouts/layout.ts';

/** Token ids the process owns (the forward process owns the vocabulary size and the special ids). */
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
  /** [B, L] 1 = prompt position (SFT on paired data: never masked, not scored), 0 = answer. */
  promptMask?: Nd<Uint8Array> | undefined;
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
  /** Gradient-based control of the Gaussian chain (families whose models have `embeddingSpace`; @dlm/samplers). */
  control?: GaussianStepControl | undefined;
}

export interface SampleResult {
  /** [num, length] token ids. */
  ids: Nd<Int32Array>;
  /** Network function evaluations (forward passes of the backbone, counting each batch once). */
  nfe: number;
}

/** Conditional generation from prompts (LLaDA's generate; the AR family's left-padded prompt continuation). */
export interface GenerateRequest {
  /** [B, P] prompt ids; left-padded rows need `attention`. */
  prompt: Nd<Int32Array>;
  /** [B, P] 1 = real token, 0 = padding. */
  attention?: Nd<Int32Array> | undefined;
  genLength: number;
  /** Total steps over all blocks (LLaDA; ignored by AR). */
  steps: number;
  /** Semi-AR block size (LLaDA; ignored by AR). */
  blockLength: number;
  /** 0 = greedy; > 0 = sampling at that temperature. */
  temperature: number;
  /** A name of the family's remasking rule (LLaDA: low_confidence, random; ignored by AR). */
  remasking: string;
  /** Unsupervised classifier-free guidance scale (0 = off; ignored by AR). */
  cfgScale: number;
  rng: Rng;
  /** Keep the k most probable tokens (families that sample a categorical; absent or 0 = all). */
  topK?: number | undefined;
  /** Nucleus: the smallest most-probable set of mass ≥ p (absent or 1 = off). */
  topP?: number | undefined;
  /** A sampler of the family (its `sampling.predictor`) for families whose generation runs one (DiffuSeq). */
  sampler?: string | undefined;
  /** Fast-dLLM's KV cache and parallel decoding (LLaDA; GenerateKnobs). */
  cache?: string | undefined;
  threshold?: number | undefined;
  factor?: number | undefined;
  cacheLoop?: string | undefined;
}

/** One scoring request of `dlm eval mc`: log p(continuation | context), both as token ids. */
export interface ContinuationRequest {
  /** Context ids (the prompt), as tokenized; BOS is prepended by the scorer when `addBos` says so. */
  context: readonly number[];
  /** Continuation ids (at least one). */
  continuation: readonly number[];
}

export interface ContinuationOptions {
  /** Draws of this call (the caller splits it per question, so a resumed evaluation draws the same). */
  rng: Rng;
  /** Monte-Carlo draws per request (bound estimators; a multiple of `batch`). Exact scorers ignore it. */
  mcNum: number;
  /** Rows per forward pass: draws (bound estimators, LLaDA's batch_size) or requests (exact scorers). */
  batch: number;
  /** Unsupervised classifier-free guidance scale (LLaDA; 0 = off). Others ignore it. */
  cfgScale: number;
  /**
   * Prepend BOS to a context that does not start with it. A trained run: true (its training rows start with BOS,
   * so a context read without it is a position the model never saw). A published checkpoint scored as
   * lm-evaluation-harness scores it (gpt2): false, the model reads the context as tokenized.
   */
  addBos: boolean;
}

export interface ContinuationScore {
  /** log p(continuation | context) in nats: exact (AR), or the mean of Monte-Carlo ELBO draws (≤ in expectation). */
  logLikelihood: number;
  /** Standard error of that mean over the draws (0 when exact, NaN with a single draw). */
  stderr: number;
  /** Exact scorers: every continuation token is the argmax of its logits (the harness's is_greedy). */
  isGreedy?: boolean | undefined;
  /** Forward passes spent on this request (shared passes are counted once, on the first request using them). */
  nfe: number;
}

export interface FamilyModel {
  readonly family: string;
  readonly params: ParamStore;
  /** Scalar loss to minimise (called inside ParamStore.valueAndGrads). */
  trainLoss(batch: TokenBatch, rng: Rng): tf.Scalar;
  /** One draw of the per-sequence NELBO (nats) with host numbers (FamilyDef.likelihood says what it is). */
  nll(batch: TokenBatch, rng: Rng): NllDraw;
  /**
   * Optional named per-sequence terms [B] of one draw (Diffusion-LM: mse, terminal, rounding CE, rounding error
   * rate…): `dlm eval` reports the mean ± standard error of each over the validation sequences.
   */
  evalTerms?(batch: TokenBatch, rng: Rng): Record<string, Float64Array>;
  sample(req: SampleRequest): SampleResult;
  /** Families with conditionalGeneration: [B, P + genLength] ids (prompt included, as LLaDA's generate) and NFE. */
  generate?(req: GenerateRequest): { ids: Nd<Int32Array>; nfe: number };
  /**
   * Embedding diffusion with gradient-based control (Diffusion-LM): the chain's forward process (unrespaced) and
   * a host copy of the word embedding E [V, d] at the current weights, which an attribute classifier reads
   * (x_t = q_sample(E[w], t)); `sample` then honours SampleRequest.control. Absent = control is refused.
   */
  embeddingSpace?(): { process: GaussianEmbeddingProcess; embedding: Nd };
  /**
   * Families with FamilyDef.continuation: log p(continuation | context) of each request (`dlm eval mc`), exact or
   * a Monte-Carlo bound (the family's continuation file documents its estimator). Absent = no estimator.
   */
  continuationLogLikelihood?(reqs: readonly ContinuationRequest[], o: ContinuationOptions): ContinuationScore[];
  dispose(): void;
}

export interface FamilyBuildContext {
  /** The family slot's knobs (`family: {name: mdlm, ...}` without `name`). */
  family: Record<string, unknown>;
  /** The backbone slot with its name (`model: {name: dit, ...}`): built by the backbone registry. */
  model: { readonly name: string } & Readonly<Record<string, unknown>>;
  /** The schedule of the `noise` slot (`noise: {name: loglinear, eps: ...}`), already built. */
  noise: NoiseSchedule;
  vocab: VocabInfo;
  rng: Rng;
}

/** What a family can do; the contract test checks each declared capability. */
export interface FamilyCapabilities {
  /** `nll` returns an upper bound on −log p(x) (a NELBO draw): perplexity bounds and `dlm eval`. */
  likelihoodBound: boolean;
  /** `sample` draws sequences from nothing (all mask / the limit distribution). */
  unconditionalSampling: boolean;
  /** Sampling given a prompt or a partly fixed sequence (infilling, prefix). */
  conditionalGeneration: boolean;
  /** Samples longer than the backbone's maximum length (semi-autoregressive strides). */
  longerThanModel: boolean;
}

/** The names of a family's samplers (a Registry of its sampler entries). */
export interface SamplerNames {
  names(): string[];
  has(name: string): boolean;
}

export type Special = 'bos' | 'eos' | 'pad' | 'mask';

export interface FamilyDef {
  name: string;
  /** zod schema of the family slot's own knobs (without `name`). */
  schema: z.ZodObject<z.ZodRawShape>;
  /** Special tokens the family needs from the tokenizer (MDLM: mask, bos, eos). */
  specials: readonly Special[];
  /** When the specials depend on the family's knobs (SEDD: a mask for graph absorb only); else `specials`. */
  specialsFor?: ((family: Record<string, unknown>) => readonly Special[]) | undefined;
  /** The family's sampler registry: `sampling.predictor` must be one of its names. */
  samplers: SamplerNames;
  /** `sampling.predictor` when the experiment names none. */
  defaultSampler: string;
  /** Backbone registry names (`model.name`) the family builds on. */
  backbones: readonly string[];
  capabilities: FamilyCapabilities;
  /**
   * What `nll` gives: 'bound' (a NELBO draw, so perplexity ≤), 'exact' (teacher forcing: the NLL itself, so
   * perplexity =) or 'none' (a validation loss that is no likelihood: Diffusion-LM's e2e loss; no perplexity).
   * Absent = 'bound'. Reports word their numbers from it (likelihoodWords).
   */
  likelihood?: 'bound' | 'exact' | 'none' | undefined;
  /**
   * `dlm generate` on a run of this family: the flags its `generate` uses and the check of their values (named
   * errors before any weight is read). Absent for families that cannot generate from a prompt.
   */
  generation?: { flags: readonly GenerateFlag[]; checkKnobs(k: GenerateKnobs, op: string): void } | undefined;
  /**
   * Settings of the family slot that `dlm bench samplers` runs side by side with its samplers, for a run with
   * this model slot (AR: with and without the backbone's key/value cache; LLaDA: @dlm/samplers
   * llada.lladaBenchVariants). Absent or empty = the run's own settings only.
   */
  benchVariants?: ((model: { readonly name: string }) => readonly BenchVariant[]) | undefined;
  /**
   * What bare `dlm eval <run>` reports: 'likelihood' (default: the validation bound / loss and its terms) or
   * 'seq2seq' (DiffuSeq: decode the held-out sources and score them: BLEU, ROUGE-L, distinct-n, self-BLEU).
   */
  evaluation?: 'likelihood' | 'seq2seq' | undefined;
  /** The family trains on `data.pairs` with these knobs (LLaDA: objective sft; DiffuSeq: always). Absent = never. */
  pairedData?: ((family: Record<string, unknown>) => boolean) | undefined;
  /**
   * The family scores continuations (FamilyModel.continuationLogLikelihood): `estimator` 'exact' (teacher forcing)
   * or 'bound' (Monte-Carlo ELBO draws, `mcNum` / `batch` / `cfgScale` apply); `shifted` = the model reads
   * (context + continuation)[:-1], so context + continuation may be one token longer than the maximum length
   * (the harness's left truncation keeps the last maxLength + 1 tokens). Absent = no estimator (a named error).
   */
  continuation?:
    { estimator: 'exact' | 'bound'; shifted: boolean; knobs: readonly ('mcNum' | 'batch' | 'cfgScale')[] } | undefined;
  /**
   * What `SampleRequest.steps` means to the family's samplers: 'used' (default: the number of denoising steps) or
   * 'one-per-token' (AR: one network call per generated token, `steps` does not apply). Reports word it with
   * stepsLabel.
   */
  samplingSteps?: 'used' | 'one-per-token' | undefined;
  /** A tiny family slot for contract tests (with its first backbone's `testConfig`); default `{}`. */
  testConfig?: Record<string, unknown> | undefined;
  build(ctx: FamilyBuildContext): FamilyModel;
}

/** How reports name a family's `nll`: "validation NELBO … perplexity ≤" or "validation NLL … perplexity =". */
export function likelihoodWords(def: Pick<FamilyDef, 'likelihood'>): {
  name: string;
  relation: '≤' | '=' | undefined;
} {
  if (def.likelihood === 'exact') return { name: 'NLL', relation: '=' };
  if (def.likelihood === 'none') return { name: 'loss', relation: undefined };
  return { name: 'NELBO', relation: '≤' };
}

/** "128 steps", or "one call per token" for a family whose samplers ignore `steps` (AR). */
export function stepsLabel(def: Pick<FamilyDef, 'samplingSteps'>, steps: number): string {
  return def.samplingSteps === 'one-per-token' ? 'one call per token' : `${steps} steps`;
}
