// One BERT encoder layer, post-LayerNorm (Hugging Face transformers models/bert/modeling_bert.py: BertLayer =
// BertAttention (BertSelfAttention + BertSelfOutput), BertIntermediate, BertOutput), bidirectional, no mask
// (DiffuSeq / Diffusion-LM call their BertEncoder without an attention mask):
//   q, k, v = query(x), key(x), value(x)                         split into heads [B, nh, L, hd]
//   a       = dropout_attn(softmax(q·kᵀ/√hd))·v                  merged back to [B, L, H]
//   x1      = LayerNorm_attn(dropout(dense(a)) + x)
//   x2      = LayerNorm_out(dropout(output.dense(act(intermediate.dense(x1)))) + x1)
import { gelu, geluTanh, layerNorm, linear, mergeHeads, splitHeads, tf, type ParamStore } from '@dlm/core';
import type { EmbeddingTransformerOptions } from './options.ts';
import { bertLayerPrefix } from './params.ts';

/** Training-time dropout of one layer: three sites, each with its own seed. */
export interface BertLayerDropout {
  hidden: number;
  attention: number;
  /** Seeds of the attention probabilities, the attention output and the feed-forward output. */
  seeds: readonly [number, number, number];
}

/**
 * @param x    [B, L, H]
 * @param drop dropout (training only; undefined = none)
 * @returns    [B, L, H]
 */
export function bertLayer(
  p: ParamStore,
  i: number,
  o: Pick<EmbeddingTransformerOptions, 'heads' | 'layerNormEps' | 'activation'>,
  x: tf.Tensor,
  drop?: BertLayerDropout,
): tf.Tensor {
  const b = bertLayerPrefix(i);
  const lin = (name: string, t: tf.Tensor) => linear(t, p.get(`${name}.weight`), p.get(`${name}.bias`));
  const ln = (name: string, t: tf.Tensor) =>
    layerNorm(t, { weight: p.get(`${name}.weight`), bias: p.get(`${name}.bias`), eps: o.layerNormEps });
  const dropout = (t: tf.Tensor, rate: number, k: 0 | 1 | 2) =>
    drop && rate > 0 ? tf.dropout(t, rate, undefined, drop.seeds[k]) : t;
  const act = o.activation === 'gelu' ? gelu : geluTanh;
  return tf.tidy(() => {
    const [q, k, v] = ['query', 'key', 'value'].map((n) => splitHeads(lin(`${b}.attention.self.${n}`, x), o.heads));
    const hd = q!.shape[3]!;
    const scores = tf.mul(tf.matMul(q!, k!, false, true), 1 / Math.sqrt(hd)); // [B, nh, L, L]
    const probs = dropout(tf.softmax(scores), drop?.attention ?? 0, 0);
    const a = mergeHeads(tf.matMul(probs, v!)); // [B, L, H]
    const x1 = ln(
      `${b}.attention.output.LayerNorm`,
      tf.add(dropout(lin(`${b}.attention.output.dense`, a), drop?.hidden ?? 0, 1), x),
    );
    const f = lin(`${b}.output.dense`, act(lin(`${b}.intermediate.dense`, x1))); // [B, L, H]
    return ln(`${b}.output.LayerNorm`, tf.add(dropout(f, drop?.hidden ?? 0, 2), x1));
  });
}
