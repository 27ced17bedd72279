// The forward process on tfjs tensors, for training: x_0 comes from a learned embedding, so the
// loss needs gradients through q_sample. The coefficients are the host lookups of
// GaussianEmbeddingProcess.coef() (float32 on the tensor side either way), so this file only
// applies them: it defines no schedule math of its own.
//   x_t = sqrt(ᾱ_t)·x_0 + sqrt(1−ᾱ_t)·ε, then x_t = x_0 where mask == 0.
// t is [B] (one timestep per row, coefficients [B, 1, 1]) or [B, L] (AR-Diffusion's per-token time,
// coefficients [B, L, 1]).
// Source: Shark-NLP/DiffuSeq diffuseq/gaussian_diffusion.py:q_sample (Diffusion-LM's without mask);
// microsoft/ProphetNet AR-diffusion/model_utils/gaussian_diffusion.py:q_sample @7f91e55 (t [bs, seq_len]).
import { ShapeError, assertSameShape, tf } from '@dlm/core';
import {
  checkPositionMask,
  positionsOf,
  type GaussianEmbeddingProcess,
  type PositionMask,
} from './gaussian-process.ts';
import type { DiffusionTableName } from '@dlm/schedules';

/** [B] coefficients as a float32 tensor of shape [B, 1, …, 1] (rank `rank`) for broadcasting. */
export function rowCoefTensor(coefs: Float64Array, rank: number): tf.Tensor {
  return tf.tensor(Float32Array.from(coefs), [coefs.length, ...new Array<number>(rank - 1).fill(1)]);
}

/**
 * Coefficients for x of shape `xShape` [B, …]: [B] → [B, 1, …, 1] (rowCoefTensor); [B·L] (per position of
 * x [B, L, D]) → [B, L, 1].
 */
export function timeCoefTensor(coefs: Float64Array, xShape: readonly number[]): tf.Tensor {
  const B = xShape[0]!;
  if (coefs.length === B) return rowCoefTensor(coefs, xShape.length);
  return tf.tensor(Float32Array.from(coefs), [B, coefs.length / B, ...new Array<number>(xShape.length - 2).fill(1)]);
}

/** table[t] · x for a named schedule table (e.g. q_mean: 'sqrtAlphasCumprod'); t [B] or [B, L] for x [B, L, D]. */
export function scaleByCoefTf(
  process: GaussianEmbeddingProcess,
  table: DiffusionTableName,
  t: ArrayLike<number>,
  x: tf.Tensor,
  op = 'gaussian.scaleByCoefTf',
): tf.Tensor {
  process.checkTimesteps(t, x.shape[0]!, op, positionsOf(x));
  return tf.tidy(() => tf.mul(timeCoefTensor(process.coef(table, t, op), x.shape), x));
}

/** where(mask == 0, anchor, x) for x, anchor [B, L, D] and a host mask [B, L]. */
export function anchorMaskedTf(op: string, mask: PositionMask, x: tf.Tensor, anchor: tf.Tensor): tf.Tensor {
  checkPositionMask(op, mask, x.shape);
  assertSameShape(op, 'x', x.shape, 'x_start', anchor.shape);
  return tf.tidy(() => {
    const keep = tf.tensor(
      Float32Array.from(mask.data, (m) => (m === 0 ? 1 : 0)),
      [...mask.shape, 1],
    );
    // keep·anchor + (1−keep)·x: a where() that also passes gradients to both branches.
    return tf.add(tf.mul(keep, anchor), tf.mul(tf.sub(1, keep), x));
  });
}

/** q_sample on tensors: x0, noise [B, L, D] float32; t [B] or [B, L] host integers; mask [B, L] (0 = source kept). */
export function qSampleTf(
  process: GaussianEmbeddingProcess,
  x0: tf.Tensor,
  t: ArrayLike<number>,
  noise: tf.Tensor,
  mask?: PositionMask,
): tf.Tensor {
  const op = 'gaussian.qSampleTf';
  assertSameShape(op, 'x_start', x0.shape, 'noise', noise.shape);
  if (x0.rank < 2)
    throw new ShapeError({ op, arg: 'x_start', expected: 'shape [B, L, D]', got: `[${x0.shape.join(',')}]` });
  process.checkTimesteps(t, x0.shape[0]!, op, positionsOf(x0));
  return tf.tidy(() => {
    const xt = tf.add(
      tf.mul(timeCoefTensor(process.coef('sqrtAlphasCumprod', t, op), x0.shape), x0),
      tf.mul(timeCoefTensor(process.coef('sqrtOneMinusAlphasCumprod', t, op), x0.shape), noise),
    );
    return mask ? anchorMaskedTf(op, mask, xt, x0) : xt;
  });
}
