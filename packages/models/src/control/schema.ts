// The `model` slot of an attribute-classifier experiment (`kind: control-classifier`, @dlm/runner control/): a
// small bidirectional encoder over noisy word embeddings x_t and the timestep. Names follow the embedding
// transformer's (bert config names: hidden_size, num_hidden_layers, …; DiffuSeq's hidden_t_dim). The classifier
// is not a backbone of the registry: it reads embeddings, not token ids, and returns one label distribution per
// sequence. Diffusion-LM's own classifiers are GPT-2 / BERT models with a learned time embedding
// (transformers/examples/pytorch/language-modeling/custom_trainer.py:Classifier_GPT2 @1b8b3db); this is the
// same idea at quickstart scale.
import { ConfigError, brief } from '@dlm/core';
import { z } from 'zod';
import { EMBEDDING_TRANSFORMER_ACTIVATIONS } from '../backbones/embedding-transformer/schema.ts';

export const attributeClassifierModelSchema = z.strictObject({
  /** H: encoder width. */
  hidden_size: z.number().int().min(1).default(64),
  num_hidden_layers: z.number().int().min(1).default(2),
  /** A divisor of hidden_size. */
  num_attention_heads: z.number().int().min(1).default(4),
  /** Feed-forward width of each layer; absent = 4·hidden_size. */
  intermediate_size: z.number().int().min(1).optional(),
  /** Width of the sinusoidal timestep features. */
  hidden_t_dim: z.number().int().min(2).default(32),
  layer_norm_eps: z.number().gt(0).default(1e-12),
  hidden_act: z.enum(EMBEDDING_TRANSFORMER_ACTIVATIONS).default('gelu_new'),
});

export type AttributeClassifierModelConfig = z.output<typeof attributeClassifierModelSchema>;

/** Sizes of one classifier: the slot's knobs plus what the diffusion run and the attribute fix. */
export interface AttributeClassifierOptions {
  /** d: the diffusion run's word-embedding width. */
  embeddingDim: number;
  /** The longest sequence (the diffusion run's block length): rows of position_embeddings. */
  maxLength: number;
  /** C: the attribute's number of labels. */
  classes: number;
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  timeDim: number;
  layerNormEps: number;
  activation: 'gelu' | 'gelu_new';
}

export function resolveAttributeClassifierOptions(
  knobs: Record<string, unknown>,
  sizes: { embeddingDim: number; maxLength: number; classes: number },
): AttributeClassifierOptions {
  const m = attributeClassifierModelSchema.parse(knobs);
  const op = 'attribute classifier';
  if (m.hidden_size % m.num_attention_heads !== 0) {
    const expected = `a divisor of hidden_size (${m.hidden_size})`;
    throw new ConfigError({ op, arg: 'model.num_attention_heads', expected, got: brief(m.num_attention_heads) });
  }
  for (const [k, v, min] of [
    ['embeddingDim', sizes.embeddingDim, 1],
    ['maxLength', sizes.maxLength, 1],
    ['classes', sizes.classes, 2],
  ] as const) {
    if (!(Number.isInteger(v) && v >= min))
      throw new ConfigError({ op, arg: k, expected: `an integer ≥ ${min}`, got: brief(v) });
  }
  return {
    ...sizes,
    hidden: m.hidden_size,
    layers: m.num_hidden_layers,
    heads: m.num_attention_heads,
    intermediate: m.intermediate_size ?? 4 * m.hidden_size,
    timeDim: m.hidden_t_dim,
    layerNormEps: m.layer_norm_eps,
    activation: m.hidden_act,
  };
}
