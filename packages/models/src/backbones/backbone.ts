// The contract between a family and a backbone (the `model` slot: `model: {name: dit, ...}`). A
// backbone is one folder under backbones/ with its zod schema and builder, registered in
// registry.ts. Families never read a backbone knob by name: what they need (the longest sequence,
// dropout during training) is behind this interface.
import type { ParamStore, Rng, tf } from '@dlm/core';
import type { llada } from '@dlm/samplers';
import type { z } from 'zod';

export interface BackboneBuildOptions {
  /** Rows of the embedding = width of the logits (specials included). */
  vocabSize: number;
  /** Feed σ to the network (MDLM `time_conditioning`; SEDD always). */
  timeConditioning: boolean;
  /** Draws the initial weights. */
  rng: Rng;
}

export interface Backbone {
  readonly name: string;
  readonly params: ParamStore;
  /** The longest sequence the backbone was configured for (e.g. DiT `model.length`). */
  readonly maxLength: number;
  /**
   * @param ids   int32 [B, L]
   * @param sigma float32 [B] total noise σ̄(t) per row (ignored without time conditioning)
   * @param train training mode: dropout at the backbone's configured rate, seeded from
   *              `train.rng.split('dropout')` (split only when the rate is > 0)
   * @returns     logits [B, L, V]
   */
  forward(ids: tf.Tensor2D, sigma: tf.Tensor1D, train?: { rng: Rng }): tf.Tensor3D;
  /**
   * Optional split of `forward` = outputHead applied to forwardHidden, for losses that project to
   * the vocabulary in chunks (a GPT-2 vocabulary's [B, L, V] logits do not fit the wasm heap).
   * @returns the last hidden states [B, L, D] (same args as forward)
   */
  forwardHidden?(ids: tf.Tensor2D, sigma: tf.Tensor1D, train?: { rng: Rng }): tf.Tensor3D;
  /**
   * Optional forward with a 0/1 key mask [B, L] (1 = attend), for left-padded prompt batches
   * (LLaDA generate with an attention mask). Same logits as `forward` when the mask is all ones.
   */
  forwardWithAttention?(ids: tf.Tensor2D, attentionMask: tf.Tensor2D): tf.Tensor3D;
  /** The output projection in torch layout: logits = h·weightᵀ + bias; weight [V, D], bias [V]. */
  outputHead?(): { weight: tf.Tensor; bias?: tf.Tensor | undefined };
  /**
   * Optional incremental decoding of autoregressive backbones with a key/value cache (GPT-2): the logits of the
   * new positions given the cached ones. Backbones without it are decoded by recomputing the whole prefix.
   * @param ids int32 [B, L] new positions
   * @param o.attentionMask [B, P + L] 1 = real token, 0 = padding (covers the cached positions too)
   * @param o.past the cache a previous call returned (not disposed by this call)
   * @returns logits [B, L, V] and the cache of all P + L positions (the caller disposes it)
   */
  decode?(ids: tf.Tensor2D, o: { attentionMask?: tf.Tensor2D; past?: DecodeCache }): DecodeStep;
  /**
   * Optional bidirectional key/value cache of a mask predictor (LLaDA), for Fast-dLLM's prefix and dual caches:
   * plain calls and cache sessions on host arrays (@dlm/samplers llada.LladaKvModel).
   */
  bidirectionalKv?(): llada.LladaKvModel;
  /**
   * Present on backbones that denoise in embedding space (Diffusion-LM / DiffuSeq: `embedding-transformer`),
   * whose network input is the noisy embeddings x_t, not token ids. Their `forward(ids, σ)` is then the
   * clean-input path `embeddingDenoiser.logits(embeddingDenoiser.forward(embed(ids), σ))`.
   */
  readonly embeddingDenoiser?: EmbeddingDenoiser;
  dispose(): void;
}

/** The embedding-space view of a backbone (Gaussian diffusion on word embeddings; tied output head). */
export interface EmbeddingDenoiser {
  /** d: the width of the word embedding, of x_t and of the output. */
  readonly embeddingDim: number;
  /** E[ids]: int32 [B, L] → [B, L, d], differentiable in E (get_embeds). */
  embed(ids: tf.Tensor2D): tf.Tensor3D;
  /**
   * The network on noisy embeddings.
   * @param x     x_t float32 [B, L, d]
   * @param t     float32 [B], or [B, L] (one per position: AR-Diffusion): the timestep the model sees (the
   *              original timestep, times 1000/T under rescale_timesteps; GaussianEmbeddingProcess.modelTimesteps)
   * @param train training mode, as in Backbone.forward
   * @returns     [B, L, d] (the x0 prediction under x0-parameterisation)
   */
  forward(x: tf.Tensor3D, t: tf.Tensor1D | tf.Tensor2D, train?: { rng: Rng }): tf.Tensor3D;
  /** Rounding logits (get_logits) with the head tied to E: h [B, L, d] → [B, L, V]. */
  logits(h: tf.Tensor3D): tf.Tensor3D;
  /** E [V, d]: the trainable word-embedding Variable itself (not a copy; also the output head). */
  embeddingWeight(): tf.Variable;
  /** The rounding head as `logits` applies it: E, lm_head.bias (mode 1 only) and the logits mode. */
  head(): { embedding: tf.Variable; bias?: tf.Variable | undefined; logitsMode: 1 | 2 };
  /** The name of E in `params` (to freeze it: fixed random embeddings). */
  readonly embeddingName: string;
}

/** A backbone's key/value cache, opaque to the family. */
export interface DecodeCache {
  /** P: positions held. */
  readonly length: number;
  dispose(): void;
}

export interface DecodeStep {
  logits: tf.Tensor3D;
  past: DecodeCache;
}

export interface BackboneDef {
  name: string;
  /** zod schema of the slot's own knobs (without `name`), with the reference configs' names. */
  schema: z.ZodObject<z.ZodRawShape>;
  /** The longest sequence a config allows (knobs without `name`; defaults filled by the schema). */
  maxLength(config: Record<string, unknown>): number;
  /** A tiny config (seconds to train on 2 cores) for contract tests. */
  testConfig: Record<string, unknown>;
  /** The built backbone has `decode` (incremental decoding with a key/value cache). */
  incrementalDecoding?: boolean | undefined;
  build(config: Record<string, unknown>, o: BackboneBuildOptions): Backbone;
}
