// How a per-token loss [B, L] becomes one number. The three rules of ZHZisZZ/dllm
// core/trainers/mdlm.py:MDLMTrainer.compute_loss (loss_norm_type); `maskable` marks the
// positions that may be masked / are scored (answer tokens, non-padding), count clamped ≥ 1:
//   'token'    Σ_{b,l} loss / Σ_{b,l} maskable          — mean over every scored token of the batch.
//              MDLM _loss (maskable = attention_mask: Σ nll / Σ mask) and LLaDA pre-training
//              (maskable = all positions: Σ / (b·l)).
//   'sequence' Σ_b [Σ_l loss[b] / Σ_l maskable[b]] / B  — per-sequence mean, then mean over
//              sequences: every sequence weighs the same whatever its length. LLaDA SFT
//              (maskable = answer positions: Σ token_loss / answer_length / b).
//   'batch'    Σ_{b,l} loss / B                          — per-sequence SUM, averaged over the
//              batch (SEDD's per-sequence score entropy; longer sequences weigh more).
import { ConfigError, ShapeError, brief, tf } from '@dlm/core';

export type LossNormalization = 'token' | 'sequence' | 'batch';
export const LOSS_NORMALIZATIONS: readonly LossNormalization[] = ['token', 'sequence', 'batch'];

/** Per-row divisors [B] (float64, host) for `normalization`, from a 0/1 `maskable` [B, L] (all ones when omitted). */
export function normalizationDivisors(
  normalization: LossNormalization,
  batch: number,
  length: number,
  maskable?: ArrayLike<number>,
): Float64Array {
  const op = 'normalizeLoss';
  if (!LOSS_NORMALIZATIONS.includes(normalization)) {
    throw new ConfigError({
      op,
      arg: 'normalization',
      expected: `one of ${LOSS_NORMALIZATIONS.join(', ')}`,
      got: brief(normalization),
    });
  }
  if (maskable && maskable.length !== batch * length) {
    throw new ShapeError({
      op,
      arg: 'maskable',
      expected: `[${batch}, ${length}] = ${batch * length} values`,
      got: `${maskable.length}`,
    });
  }
  const rowCount = new Float64Array(batch);
  for (let b = 0; b < batch; b++) {
    let c = 0;
    for (let l = 0; l < length; l++) c += maskable ? maskable[b * length + l]! : 1;
    rowCount[b] = c;
  }
  const out = new Float64Array(batch);
  if (normalization === 'token')
    out.fill(
      Math.max(
        rowCount.reduce((a, c) => a + c, 0),
        1,
      ),
    );
  else if (normalization === 'sequence') for (let b = 0; b < batch; b++) out[b] = Math.max(rowCount[b]!, 1) * batch;
  else out.fill(batch);
  return out;
}

/**
 * Σ_{b,l} perToken[b,l] / divisor[b] as a tfjs scalar (differentiable w.r.t. perToken).
 * @param perToken  [B, L] float32, already zero where a position does not count
 * @param maskable  [B, L] 0/1 host array (all ones when omitted)
 */
export function normalizeLoss(
  perToken: tf.Tensor2D,
  normalization: LossNormalization,
  maskable?: ArrayLike<number>,
): tf.Scalar {
  const [b, l] = perToken.shape;
  const div = normalizationDivisors(normalization, b, l, maskable);
  return tf.tidy(() => tf.sum(tf.div(tf.sum(perToken, 1), tf.tensor1d(Float32Array.from(div)))) as tf.Scalar);
}
