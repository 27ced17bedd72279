// DiffuSeq sequence-to-sequence loss: the Diffusion-LM e2e terms with partial noising
// (input_mask 0 = source position, x_t = x_start there; 1 = target, noised), plus a reported
//   nll = Σ_L CE(get_logits(x̂₀), w)·input_mask / Σ_L input_mask     [B]
// which is NOT part of `loss` (the reference logs it only). mse still averages over all positions.
// Σ_L input_mask = 0 in a row gives nll = NaN, as in the reference.
// Source: Shark-NLP/DiffuSeq diffuseq/gaussian_diffusion.py:training_losses_seq2seq (and _token_discrete_loss).
import { tf, type Nd } from '@dlm/core';
import { embeddingLogits, type GaussianEmbeddingProcess } from '@dlm/processes';
import {
  embeddingDiffusionTerms,
  type EmbeddingDenoiser,
  type EmbeddingDiffusionBatch,
  type EmbeddingDiffusionTerms,
  type EmbeddingHead,
} from './embedding-diffusion-terms.ts';
import { tokenCrossEntropy } from './token-cross-entropy.ts';

export interface Seq2seqBatch extends EmbeddingDiffusionBatch {
  /** [B, L]: 0 = source (kept, never noised), 1 = target (noised). */
  inputMask: Nd<Int32Array>;
}

export interface Seq2seqTerms extends EmbeddingDiffusionTerms {
  /** Target-position CE of the predicted x̂₀ (reported, not optimised). [B] */
  nll: tf.Tensor;
}

export function diffuseqSeq2seqLoss(
  process: GaussianEmbeddingProcess,
  head: EmbeddingHead,
  batch: Seq2seqBatch,
  model: EmbeddingDenoiser,
): Seq2seqTerms {
  const op = 'diffuseqSeq2seqLoss';
  const terms = embeddingDiffusionTerms(process, head, batch, model, batch.inputMask, op);
  const nll = tf.tidy(() => {
    const logits = embeddingLogits(terms.modelOutput, head.embedding, {
      mode: head.logitsMode ?? 1,
      ...(head.bias ? { bias: head.bias } : {}),
    });
    const ce = tokenCrossEntropy(logits, batch.inputIds, op); // [B, L]
    const m = tf.tensor(Float32Array.from(batch.inputMask.data), [...batch.inputMask.shape]);
    return tf.div(tf.sum(tf.mul(ce, m), 1), tf.sum(m, 1));
  });
  return { ...terms, nll };
}
