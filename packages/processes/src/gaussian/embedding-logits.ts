// Logits over the vocabulary from vectors in embedding space (tfjs, differentiable). The output
// head is tied to the word embedding E [V, D].
//   mode 1: h·Eᵀ + bias                                    (TransformerNetModel2.get_logits, logits_mode 1)
//   mode 2: −sqrt(clamp(‖E_v‖² + ‖h‖² − 2·E_v·h, 0))        (logits_mode 2, no bias)
//   isotropic Gaussian: −Σ_d (x_d − E_{v,d})² / (2σ²), σ = 0.1   (test_util.py:compute_logp)
// Source: XiangLi1999/Diffusion-LM improved-diffusion/improved_diffusion/transformer_model2.py:get_logits and
// test_util.py:compute_logp; Shark-NLP/DiffuSeq diffuseq/transformer_model.py:get_logits (mode 1).
// Mode 2 uses the same ‖E_v‖² + ‖h‖² − 2·E_v·h distance as rounding.ts. Two implementations on
// purpose: this one is differentiable (tfjs float32, a training head); rounding.ts is the host
// float64 argmin the sampler needs to match the reference's nearest-row choice exactly.
import { ShapeError, tf } from '@dlm/core';

function checkHead(op: string, h: tf.Tensor, embedding: tf.Tensor, bias?: tf.Tensor): [number, number] {
  if (embedding.rank !== 2)
    throw new ShapeError({ op, arg: 'embedding', expected: 'shape [V, D]', got: `[${embedding.shape.join(',')}]` });
  const [V, D] = embedding.shape as [number, number];
  if (h.shape[h.rank - 1] !== D) {
    throw new ShapeError({
      op,
      arg: 'h and embedding',
      expected: `the last axis of h equal to the embedding width ${D}`,
      got: `[${h.shape.join(',')}] vs [${V},${D}]`,
    });
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== V)) {
    throw new ShapeError({ op, arg: 'bias', expected: `shape [${V}]`, got: `[${bias.shape.join(',')}]` });
  }
  return [V, D];
}

export type EmbeddingLogitsMode = 1 | 2;

/** h [..., D] → logits [..., V] with the head tied to `embedding` [V, D]. */
export function embeddingLogits(
  h: tf.Tensor,
  embedding: tf.Tensor,
  opts: { mode?: EmbeddingLogitsMode; bias?: tf.Tensor } = {},
): tf.Tensor {
  const op = 'gaussian.embeddingLogits';
  const mode = opts.mode ?? 1;
  const [V, D] = checkHead(op, h, embedding, opts.bias);
  if (mode === 2 && opts.bias)
    throw new ShapeError({ op, arg: 'bias', expected: 'no bias with logits mode 2 (distance logits)' });
  const outShape = [...h.shape.slice(0, -1), V];
  return tf.tidy(() => {
    const flat = tf.reshape(h, [-1, D]); // [P, D]
    const dot = tf.matMul(flat, embedding, false, true); // [P, V]
    if (mode === 1) return tf.reshape(opts.bias ? tf.add(dot, opts.bias) : dot, outShape);
    const embNorm = tf.sum(tf.square(embedding), 1); // [V]
    const hNorm = tf.sum(tf.square(flat), 1, true); // [P, 1]
    const dist = tf.sub(tf.add(embNorm, hNorm), tf.mul(2, dot));
    return tf.reshape(tf.neg(tf.sqrt(tf.relu(dist))), outShape);
  });
}

/** compute_logp logits: log N(x; E_v, σ²I) up to a constant, [..., D] → [..., V]. */
export function isotropicGaussianLogits(x: tf.Tensor, embedding: tf.Tensor, sigma = 0.1): tf.Tensor {
  const op = 'gaussian.isotropicGaussianLogits';
  const [V, D] = checkHead(op, x, embedding);
  const outShape = [...x.shape.slice(0, -1), V];
  return tf.tidy(() => {
    const diff = tf.sub(tf.reshape(x, [-1, 1, D]), tf.reshape(embedding, [1, V, D])); // [P, V, D]
    return tf.reshape(tf.div(tf.neg(tf.sum(tf.square(diff), -1)), 2 * sigma ** 2), outShape);
  });
}
