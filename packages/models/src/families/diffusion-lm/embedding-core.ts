// What the embedding-diffusion families (Diffusion-LM, DiffuSeq) share: the Gaussian process over word embeddings
// (a discrete β schedule of T steps, GaussianEmbeddingProcess), the embedding-space denoiser of the backbone, the
// training terms of @dlm/losses (e2e: mse + terminal ‖μ_T‖² + rounding CE; DiffuSeq's partial noising through
// `inputMask`), Difformer's anchor CE, per-sequence evaluation terms, and host sampling + rounding.
//   x_start = E[w] + sqrt(1 − ᾱ_0)·ε₀, x_t = q_sample(x_start, t), x̂0 = f(x_t, t·1000/T)       [B, L, d]
//   terms  = embeddingDiffusionTerms (packages/losses/src/gaussian/embedding-diffusion-terms.ts)   [B] each
//   anchor = mean_L CE(get_logits(x̂0), w)    (Difformer: the token loss on the prediction)         [B]
// Time: one t ~ U{0 … T−1} per row (UniformSampler), or AR-Diffusion's (time ar-diffusion): per row a sentence
// step s ~ U{0 … N_b + T − 1} over its N_b target positions (inputMask 1, else all) and t [B, L] =
// arDiffusionPositionTimesteps (source positions 0; microsoft/ProphetNet AR-diffusion/train_utils/resample.py:
// XYUniformSampler.sample @7f91e55, whose importance weights are 1 when not loss-aware).
// Source: XiangLi1999/Diffusion-LM improved-diffusion/improved_diffusion/gaussian_diffusion.py:training_losses_e2e
// @1b8b3db; Shark-NLP/DiffuSeq diffuseq/gaussian_diffusion.py:training_losses_seq2seq @20a7ab1; zhjgao/difformer.
import { ConfigError, argmaxRows, tf, type Nd, type Rng } from '@dlm/core';
import { embeddingDiffusionTerms, tokenCrossEntropy, type EmbeddingDiffusionTerms } from '@dlm/losses';
import {
  GaussianEmbeddingProcess,
  arDiffusionPositionTimesteps,
  embedTokens,
  embeddingLogits,
  targetLengths,
  type PositionMask,
} from '@dlm/processes';
import type { GaussianAnchor, GaussianStepControl, HostDenoiser } from '@dlm/samplers';
import type { EmbeddingDenoiser } from '../../backbones/backbone.ts';
import { buildBackbone } from '../../backbones/registry.ts';
import type { FamilyBuildContext } from '../../family.ts';
import type { DiffusionLmFamilyConfig } from './schema.ts';
import { embeddingSamplers, type EmbeddingTimeSchedule } from './samplers.ts';

const BACKBONES = ['embedding-transformer'] as const;
export const EMBEDDING_BACKBONES: readonly string[] = BACKBONES;

/** Per-sequence evaluation terms [B] of one draw of t (host numbers). */
export interface EmbeddingEvalTerms {
  loss: Float64Array;
  mse: Float64Array;
  terminal: Float64Array;
  rounding_ce: Float64Array;
  anchor_ce: Float64Array;
  /** Fraction of scored positions where argmax get_logits(x̂0) ≠ w. */
  rounding_error: Float64Array;
  /** Fraction of scored positions where argmax get_logits(E[w]) ≠ w (the embedding's own decodability). */
  embedding_error: Float64Array;
}

export interface EmbeddingCore {
  readonly params: ReturnType<typeof buildBackbone>['params'];
  readonly process: GaussianEmbeddingProcess;
  readonly maxLength: number;
  readonly denoiser: EmbeddingDenoiser;
  /** Training scalar: mean_B(terms.loss) + anchor_loss_weight·mean_B(anchor CE). */
  trainLoss(ids: Nd<Int32Array>, rng: Rng, inputMask?: PositionMask): tf.Scalar;
  /** One draw of t per sequence: the terms above on host; rates over inputMask ≠ 0 positions (default all). */
  evalTerms(ids: Nd<Int32Array>, rng: Rng, inputMask?: PositionMask): EmbeddingEvalTerms;
  /** x_T → x_0 with a registered sampler, rounded with the tied head: ids [B, L] and NFE. */
  sample(o: {
    shape: readonly [number, number];
    steps: number;
    sampler: string;
    rng: Rng;
    /** DiffuSeq: the source tokens `ids` [B, L] where `mask` is 0, re-imposed as E[ids] after every step. */
    source?: { ids: Nd<Int32Array>; mask: PositionMask } | undefined;
    /** Replaces the network (classifier-free guidance wraps it, given host E [V, d]); default the denoiser. */
    model?: ((embedding: Nd) => HostDenoiser) | undefined;
    /** Gradient-based control applied after every chain step. */
    control?: GaussianStepControl | undefined;
  }): { ids: Nd<Int32Array>; nfe: number };
  /** The denoiser on host arrays (x_t [B, L, d], model timesteps [B] or [B, L]) → x̂0 [B, L, d]. */
  hostModel(): HostDenoiser;
  /** E [V, d] on host (float64) at the current weights. */
  hostEmbedding(): Nd;
  dispose(): void;
}

export function embeddingCore(
  ctx: FamilyBuildContext,
  f: DiffusionLmFamilyConfig,
  family: string,
  time: EmbeddingTimeSchedule = { name: 'uniform' },
): EmbeddingCore {
  const net = buildBackbone(ctx.model, {
    family,
    accepted: BACKBONES,
    vocabSize: ctx.vocab.size,
    timeConditioning: true,
    rng: ctx.rng.split('init'),
  });
  const denoiser = net.embeddingDenoiser;
  if (!denoiser) {
    net.dispose();
    const expected = 'a backbone that denoises embeddings (embedding-transformer)';
    throw new ConfigError({ op: family, arg: 'model.name', expected, got: ctx.model.name });
  }
  // Fixed embeddings (Diffusion-LM's random-embedding baseline): E keeps its N(0, 1) init.
  if (!f.learned_embeddings) net.params.setTrainable(denoiser.embeddingName, false);
  const process = GaussianEmbeddingProcess.named(f.noise_schedule, f.diffusion_steps, {
    rescaleTimesteps: f.rescale_timesteps,
  });
  const T = f.diffusion_steps;
  const checkLength = (l: number) => {
    if (l > net.maxLength) {
      const expected = `at most model.seq_len ${net.maxLength}`;
      throw new ConfigError({ op: family, arg: 'sequence length', expected, got: String(l) });
    }
  };
  /** t [B] (UniformSampler) or, under ar-diffusion, t [B, L] from one sentence step per row. */
  const drawT = (rng: Rng, b: number, l: number, inputMask?: PositionMask): Int32Array => {
    if (time.name === 'uniform') return Int32Array.from({ length: b }, () => rng.int(0, T));
    const mask = inputMask ?? { data: new Int32Array(b * l).fill(1), shape: [b, l] };
    const s = Array.from(targetLengths(mask), (n) => rng.int(0, n + T));
    return arDiffusionPositionTimesteps(mask, s, T, time.endPointScale, family);
  };

  /** Terms of one batch; the tensors are the caller's (call inside tf.tidy). */
  const termsOf = (ids: Nd<Int32Array>, rng: Rng, train: boolean, inputMask?: PositionMask) => {
    const [b, l] = ids.shape as [number, number];
    checkLength(l);
    const t = drawT(rng.split('t'), b, l, inputMask);
    const h = denoiser.head();
    const head = { embedding: h.embedding, logitsMode: h.logitsMode, ...(h.bias ? { bias: h.bias } : {}) };
    const dropout = rng.split('dropout');
    const model = (x: tf.Tensor, modelT: tf.Tensor1D | tf.Tensor2D) =>
      denoiser.forward(x as tf.Tensor3D, modelT, train ? { rng: dropout } : undefined);
    const terms = embeddingDiffusionTerms(
      process,
      head,
      { inputIds: ids, t, rng: rng.split('noise') },
      model,
      inputMask,
    );
    const logitsOf = (x: tf.Tensor) =>
      embeddingLogits(x, h.embedding, { mode: h.logitsMode, ...(h.bias ? { bias: h.bias } : {}) });
    return { terms, logitsOf };
  };
  /** Mean over the scored positions (inputMask 1, or all) of a per-position [B, L] value → [B]. */
  const rowMean = (v: tf.Tensor, inputMask?: PositionMask): tf.Tensor1D => {
    if (!inputMask) return tf.mean(v, 1) as tf.Tensor1D;
    const m = tf.tensor2d(
      Float32Array.from(inputMask.data, (x) => (x === 0 ? 0 : 1)),
      v.shape as [number, number],
    );
    return tf.div(tf.sum(tf.mul(v, m), 1), tf.maximum(tf.sum(m, 1), 1)) as tf.Tensor1D;
  };
  const anchorCe = (terms: EmbeddingDiffusionTerms, logitsOf: (x: tf.Tensor) => tf.Tensor, ids: Nd<Int32Array>) =>
    tokenCrossEntropy(logitsOf(terms.modelOutput), ids, `${family} anchor loss`); // [B, L]

  const hostModel = (): HostDenoiser => (x, modelT) => {
    const [b, l, d] = x.shape as [number, number, number];
    const out = tf.tidy(() => {
      const m = Float32Array.from(modelT);
      const t = modelT.length === b ? tf.tensor1d(m) : tf.tensor2d(m, [b, l]); // [B] or [B, L]
      return denoiser.forward(tf.tensor3d(Float32Array.from(x.data), [b, l, d]), t);
    });
    const data = Float64Array.from(out.dataSync());
    out.dispose();
    return { data, shape: [b, l, d] };
  };

  const hostEmbedding = (): Nd => {
    const E = denoiser.embeddingWeight();
    return { data: Float64Array.from(E.dataSync()), shape: [...E.shape] };
  };

  return {
    params: net.params,
    process,
    maxLength: net.maxLength,
    denoiser,
    trainLoss(ids, rng, inputMask) {
      return tf.tidy(() => {
        const { terms, logitsOf } = termsOf(ids, rng, true, inputMask);
        let loss = tf.mean(terms.loss);
        if (f.anchor_loss_weight > 0) {
          const anchor = tf.mean(rowMean(anchorCe(terms, logitsOf, ids), inputMask));
          loss = tf.add(loss, tf.mul(anchor, f.anchor_loss_weight));
        }
        return loss as tf.Scalar;
      });
    },
    evalTerms(ids, rng, inputMask) {
      const [b, l] = ids.shape as [number, number];
      const host = (x: tf.Tensor) => Float64Array.from(x.dataSync());
      let out: EmbeddingEvalTerms | undefined;
      tf.tidy(() => {
        const { terms, logitsOf } = termsOf(ids, rng, false, inputMask);
        const wrong = (x: tf.Tensor) => {
          const logits = logitsOf(x);
          const V = logits.shape[2]!;
          const arg = argmaxRows(logits.dataSync(), V);
          const out = new Float32Array(b * l);
          for (let i = 0; i < b * l; i++) out[i] = arg[i] === ids.data[i] ? 0 : 1;
          return host(rowMean(tf.tensor2d(out, [b, l]), inputMask));
        };
        out = {
          loss: host(terms.loss),
          mse: host(terms.mse),
          terminal: host(terms.tTLoss),
          rounding_ce: host(terms.decoderNll),
          anchor_ce: host(rowMean(anchorCe(terms, logitsOf, ids), inputMask)),
          rounding_error: wrong(terms.modelOutput),
          embedding_error: wrong(terms.xStartMean),
        };
      });
      return out!;
    },
    sample(o) {
      const [b, l] = o.shape;
      checkLength(l);
      const embedding = hostEmbedding();
      const anchor: GaussianAnchor | undefined = o.source
        ? { mask: o.source.mask, xStart: embedTokens(o.source.ids, embedding, `${family} source`) }
        : undefined;
      const r = embeddingSamplers.get(o.sampler).run({
        process,
        shape: [b, l, denoiser.embeddingDim],
        model: o.model ? o.model(embedding) : hostModel(),
        rng: o.rng,
        steps: o.steps,
        embedding,
        clamp: f.clamp,
        clampStep: f.clamp_step,
        clampFirst: f.clamp_first,
        sigmaSmall: f.sigma_small,
        eta: f.eta,
        anchor,
        time,
        control: o.control,
      });
      // Rounding: argmax of the tied head's logits at x_0 (both references' final decode).
      const ids = tf.tidy(() => {
        const x0 = tf.tensor3d(Float32Array.from(r.sample.data), [b, l, denoiser.embeddingDim]);
        const logits = denoiser.logits(x0);
        return argmaxRows(logits.dataSync(), logits.shape[2]!);
      });
      return { ids: { data: Int32Array.from(ids), shape: [b, l] }, nfe: r.nfe };
    },
    hostModel,
    hostEmbedding,
    dispose: () => net.dispose(),
  };
}
