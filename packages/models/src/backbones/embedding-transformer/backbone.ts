// The `embedding-transformer` entry of the backbone registry: the Diffusion-LM / DiffuSeq denoiser behind the
// Backbone interface. Its real interface is `embeddingDenoiser` (x_t [B, L, d] and timesteps [B] or [B, L] →
// [B, L, d]); `forward(ids, σ)` runs it on the clean embeddings E[ids] with σ as the model timestep and returns the
// rounding logits, so that the backbone contract (ids → [B, L, V]) holds. Without time conditioning the
// timesteps are replaced by zeros (as the DiT does); the embedding families always condition on time.
import { tf, type Rng } from '@dlm/core';
import type { Backbone, BackboneDef, EmbeddingDenoiser } from '../backbone.ts';
import { EmbeddingTransformer } from './embedding-transformer.ts';
import { resolveEmbeddingTransformerOptions } from './options.ts';
import { embeddingTransformerModelSchema } from './schema.ts';

export const embeddingTransformerBackbone: BackboneDef = {
  name: 'embedding-transformer',
  schema: embeddingTransformerModelSchema,
  maxLength: (config) => resolveEmbeddingTransformerOptions(config, 1).seqLen,
  testConfig: {
    hidden_dim: 4,
    hidden_t_dim: 6,
    seq_len: 8,
    hidden_size: 16,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    intermediate_size: 32,
    dropout: 0,
    attention_probs_dropout_prob: 0,
  },
  build(config, o): Backbone {
    const net = new EmbeddingTransformer(resolveEmbeddingTransformerOptions(config, o.vocabSize), o.rng);
    const seed = (train?: { rng: Rng }) =>
      train && net.hasDropout() ? { seed: train.rng.split('dropout').nextUint32() } : undefined;
    const time = <T extends tf.Tensor>(sigma: T): T => (o.timeConditioning ? sigma : (tf.zerosLike(sigma) as T));
    const denoiser: EmbeddingDenoiser = {
      embeddingDim: net.options.embeddingDim,
      embed: (ids) => net.embed(ids),
      forward: (x, t, train) => tf.tidy(() => net.forward(x, time(t), seed(train))),
      logits: (h) => net.logits(h) as tf.Tensor3D,
      embeddingWeight: () => net.embeddingWeight(),
      head: () => ({
        embedding: net.embeddingWeight(),
        bias: net.options.logitsMode === 1 ? net.params.maybe('lm_head.bias') : undefined,
        logitsMode: net.options.logitsMode,
      }),
      embeddingName: 'word_embedding.weight',
    };
    const hidden = (ids: tf.Tensor2D, sigma: tf.Tensor1D, train?: { rng: Rng }) =>
      tf.tidy(() => denoiser.forward(denoiser.embed(ids), sigma, train));
    const linearHead = net.options.logitsMode === 1;
    return {
      name: 'embedding-transformer',
      params: net.params,
      maxLength: net.options.seqLen,
      embeddingDenoiser: denoiser,
      forward: (ids, sigma, train) => tf.tidy(() => denoiser.logits(hidden(ids, sigma, train))),
      // logits_mode 1 is linear: forward = outputHead applied to forwardHidden.
      ...(linearHead
        ? {
            forwardHidden: hidden,
            outputHead: () => ({ weight: net.embeddingWeight(), bias: net.params.get('lm_head.bias') }),
          }
        : {}),
      dispose: () => net.dispose(),
    };
  },
};
