// Difformer anchor loss. The denoiser predicts ẑ₀ from z_t; the token loss is taken on the output
// layer applied to the PREDICTION ẑ₀ (the "anchor"), not to the clean z₀ as in Diffusion-LM's
// rounding term (Difformer's `--rounding-loss` switches back to z₀):
//   diffusion = mean over non-pad positions (b,l) and d of (ẑ₀ − z₀)²          (scalar)
//   nll       = mean over non-pad positions of −log softmax(output_layer(ẑ₀))[y]
//   word_ins  = nll·(1 − ε) − ε·mean over non-pad positions and V of log softmax(...)  (label smoothing ε;
//               fairseq nat_loss _compute_loss), = nll when ε = 0
//   loss      = diffusion + word_ins
// Difformer adds a length-prediction CE (factor 0.1) from its length head; that belongs to the
// model that predicts lengths and is not part of this function.
// output_layer here is the head tied to the embedding (embeddingLogits, mode 1, optional bias).
// Source: zhjgao/difformer:difformer/difformer.py:forward (losses "diffusion" and "word_ins").
import { ConfigError, ShapeError, assertSameShape, brief, tf, type Nd } from '@dlm/core';
import { checkVocabIds, embeddingLogits, type EmbeddingLogitsMode } from '@dlm/processes';

export interface AnchorLossInput {
  /** Predicted ẑ₀ [B, L, D]. */
  z0Hat: tf.Tensor;
  /** Clean z₀ = Emb(y) [B, L, D]. */
  z0: tf.Tensor;
  /** Target tokens y [B, L]. */
  targets: Nd<Int32Array>;
  /** [B, L]: 1 = real token, 0 = padding (excluded everywhere). Default: all 1. */
  mask?: Nd<Int32Array>;
  /** Output layer tied to the embedding [V, D] (+ optional bias [V]). */
  embedding: tf.Tensor;
  bias?: tf.Tensor;
  logitsMode?: EmbeddingLogitsMode;
  /** Label smoothing ε in [0, 1). Default 0. */
  labelSmoothing?: number;
  /** 'anchor' (default): CE on output_layer(ẑ₀); 'rounding': CE on output_layer(z₀). */
  tokenLossOn?: 'anchor' | 'rounding';
}

export interface AnchorLossTerms {
  loss: tf.Scalar;
  diffusion: tf.Scalar;
  wordIns: tf.Scalar;
  nll: tf.Scalar;
}

export function difformerAnchorLoss(input: AnchorLossInput): AnchorLossTerms {
  const op = 'difformerAnchorLoss';
  const { z0Hat, z0, targets } = input;
  assertSameShape(op, 'z0Hat', z0Hat.shape, 'z0', z0.shape);
  if (z0.rank !== 3)
    throw new ShapeError({ op, arg: 'z0', expected: 'shape [B, L, D]', got: `[${z0.shape.join(',')}]` });
  const [B, L, D] = z0.shape as [number, number, number];
  if (targets.shape.length !== 2 || targets.shape[0] !== B || targets.shape[1] !== L) {
    throw new ShapeError({ op, arg: 'targets', expected: `shape [${B},${L}]`, got: `[${targets.shape.join(',')}]` });
  }
  const V = input.embedding.shape[0]!;
  checkVocabIds(op, 'targets', targets.data, V);
  const eps = input.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps < 1))
    throw new ConfigError({ op, arg: 'labelSmoothing', expected: 'a number in [0, 1)', got: brief(eps) });
  const maskData = input.mask ? input.mask.data : new Int32Array(B * L).fill(1);
  if (input.mask) {
    const m = input.mask;
    if (m.shape.length !== 2 || m.shape[0] !== B || m.shape[1] !== L)
      throw new ShapeError({ op, arg: 'mask', expected: `shape [${B},${L}]`, got: `[${m.shape.join(',')}]` });
    if (m.data.some((v) => v !== 0 && v !== 1))
      throw new ConfigError({ op, arg: 'mask', expected: '1 (token) or 0 (padding)', got: brief(Array.from(m.data)) });
  }
  const idx = Int32Array.from(Array.from(maskData.keys()).filter((p) => maskData[p] !== 0));
  if (idx.length === 0) throw new ConfigError({ op, arg: 'mask', expected: 'at least one non-padding position' });
  const tgt = Int32Array.from(idx, (p) => targets.data[p]!);

  return tf.tidy(() => {
    const sel = tf.tensor1d(idx, 'int32');
    const pick = (x: tf.Tensor): tf.Tensor => tf.gather(tf.reshape(x, [B * L, D]), sel); // [N, D]
    const diffusion = tf.mean(tf.square(tf.sub(pick(z0Hat), pick(z0)))) as tf.Scalar;
    const h = input.tokenLossOn === 'rounding' ? pick(z0) : pick(z0Hat);
    const logits = embeddingLogits(h, input.embedding, {
      mode: input.logitsMode ?? 1,
      ...(input.bias ? { bias: input.bias } : {}),
    });
    const logp = tf.logSoftmax(logits); // [N, V]
    const nll = tf.mean(tf.neg(tf.sum(tf.mul(tf.oneHot(tf.tensor1d(tgt, 'int32'), V), logp), -1))) as tf.Scalar;
    const wordIns = (eps > 0 ? tf.sub(tf.mul(nll, 1 - eps), tf.mul(tf.mean(logp), eps)) : tf.clone(nll)) as tf.Scalar;
    const loss = tf.add(diffusion, wordIns) as tf.Scalar;
    return { loss, diffusion, wordIns, nll };
  });
}
