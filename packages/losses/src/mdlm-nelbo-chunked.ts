// MDLM's continuous-time NELBO (mdlm-nelbo.ts) computed from the backbone's final hidden states and
// its output head, without the [B, L, V] logits. Under SUBS an unmasked position (xt ≠ mask, so
// xt = x0) has log p_θ(x0 | xt) = 0 exactly and no gradient (kuleshov-group/mdlm:diffusion.py:
// _subs_parameterization carries it over), so only the masked positions need the vocabulary
// projection, and those go through linearLogSoftmaxGather in chunks of rows:
//   logPTheta[b,l] = log_softmax(h[b,l]·Wᵀ + bias − 1e6·onehot(mask))[x0[b,l]]   where xt[b,l] = mask
//                  = 0                                                             elsewhere
// Equal to mdlmNelboLoss(linear(h, W, bias), …) up to float32 rounding; the peak memory of the
// loss drops from several [B, L, V] tensors (and their gradients) to one [chunk, V] block.
import { ConfigError, MDLM_NEG_INFINITY, brief, linearLogSoftmaxGather, tf } from '@dlm/core';
import { attentionTensor, type MdlmLossInputs } from './mdlm-nelbo.ts';
import { normalizeLoss, type LossNormalization } from './normalization.ts';
import { assertSize, assertTokenIds } from './token-ids.ts';

/** The backbone's output projection in torch layout: logits = h·weightᵀ + bias. */
export interface OutputHead {
  /** [V, D] */
  weight: tf.Tensor;
  /** [V] */
  bias?: tf.Tensor;
}

export interface MdlmHiddenLossOutputs {
  loss: tf.Scalar;
  /** [B, L] per-token loss, already multiplied by the attention mask. */
  perToken: tf.Tensor2D;
  /** [B, L] log p_θ(x0 | xt) (0 at unmasked positions). */
  logPTheta: tf.Tensor2D;
}

/**
 * @param hidden  [B, L, D] final (normed, modulated) hidden states for `xt` (differentiable)
 * @param head    the output projection, V = weight.shape[0]
 * @param weights [B] per-row weight, e.g. nelboWeights(σ, dσ)
 * @param opts.chunkRows rows of the [rows, V] logits block (default: linearLogSoftmaxGather's)
 * The caller owns the returned tensors (wrap in tf.tidy or dispose).
 */
export function mdlmNelboLossFromHidden(
  hidden: tf.Tensor3D,
  head: OutputHead,
  inputs: MdlmLossInputs,
  weights: ArrayLike<number>,
  opts: { maskIndex: number; normalization?: LossNormalization; chunkRows?: number },
): MdlmHiddenLossOutputs {
  const op = 'mdlmNelboLossFromHidden';
  const [b, l, d] = hidden.shape;
  const v = head.weight.shape[0]!;
  const { maskIndex } = opts;
  if (!(Number.isInteger(maskIndex) && maskIndex >= 0 && maskIndex < v)) {
    throw new ConfigError({ op, arg: 'maskIndex', expected: `a column in [0, ${v})`, got: brief(maskIndex) });
  }
  assertSize(op, 'weights', weights, [b]);
  for (let i = 0; i < b; i++) {
    const wi = weights[i]!;
    if (!Number.isFinite(wi)) throw new ConfigError({ op, arg: 'weights', expected: 'finite values', got: brief(wi) });
  }
  assertSize(op, 'xt', inputs.xt.data, [b, l]);
  assertSize(op, 'x0', inputs.x0.data, [b, l]);
  assertTokenIds(op, 'xt', inputs.xt.data, v);
  assertTokenIds(op, 'x0', inputs.x0.data, v);
  // Masked positions (row-major over [B, L]) and, per position, 0 (unmasked) or 1 + its masked rank.
  const rows: number[] = [];
  const slot = new Int32Array(b * l);
  for (let p = 0; p < b * l; p++) if (inputs.xt.data[p] === maskIndex) slot[p] = rows.push(p);
  return tf.tidy(() => {
    let logPTheta: tf.Tensor2D;
    if (rows.length === 0) {
      // All zeros, still on the graph of every input (tf.grads wants a path to each, with zero gradient).
      const anchor = [hidden, head.weight, ...(head.bias ? [head.bias] : [])].map((t) => tf.sum(t));
      logPTheta = tf.mul(tf.zeros([b, l]), tf.addN(anchor)) as tf.Tensor2D;
    } else {
      const h = tf.gather(tf.reshape(hidden, [b * l, d]), tf.tensor1d(rows, 'int32')); // [M, D]
      // SUBS' −1e6 on the mask column (never predict the mask), as in subsLogProbs. [V]
      const offset = tf.mul(tf.reshape(tf.oneHot(tf.tensor1d([maskIndex], 'int32'), v), [v]), MDLM_NEG_INFINITY);
      const targets = rows.map((p) => inputs.x0.data[p]!);
      const picked = linearLogSoftmaxGather(h, head.weight, targets, {
        offset: tf.cast(offset, 'float32'),
        ...(head.bias ? { bias: head.bias } : {}),
        ...(opts.chunkRows !== undefined ? { chunkRows: opts.chunkRows } : {}),
      }); // [M]
      // Back to [B, L] with exact zeros at unmasked positions (slot 0).
      const padded = tf.concat([tf.zeros([1]), picked]); // [1 + M]
      logPTheta = tf.reshape(tf.gather(padded, tf.tensor1d(slot, 'int32')), [b, l]) as tf.Tensor2D;
    }
    const w = tf.tensor2d(Float32Array.from(weights as ArrayLike<number>), [b, 1]);
    const attn = attentionTensor(op, inputs.attentionMask, b, l);
    const perToken = tf.mul(tf.mul(tf.neg(logPTheta), w), attn) as tf.Tensor2D;
    const loss = normalizeLoss(perToken, opts.normalization ?? 'token', inputs.attentionMask);
    return { loss, perToken, logPTheta };
  });
}
