// One GPT-2 block (pre-norm, plain residuals; fixtures/checkpoints/README.md §8; transformers
// models/gpt2/modeling_gpt2.py GPT2Block):
//   x = x + c_proj(causal_attention(split(c_attn(ln_1(x)))))
//   x = x + mlp.c_proj(gelu_new(mlp.c_fc(ln_2(x))))
// Conv1D weights are stored (in, out): y = x·W + b (the transpose of nn.Linear).
import { ShapeError, attention, geluTanh, layerNorm, mergeHeads, splitHeads, tf, type ParamStore } from '@dlm/core';
import type { Gpt2Options } from './options.ts';

/** HF Conv1D: x [..., in] · weight [in, out] + bias [out] → [..., out]. */
export function conv1d(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const inF = x.shape[x.rank - 1]!;
  if (weight.rank !== 2 || weight.shape[0] !== inF || bias.rank !== 1 || bias.shape[0] !== weight.shape[1]) {
    throw new ShapeError({
      op: 'conv1d',
      arg: 'weight, bias',
      expected: `weight [${inF}, out], bias [out]`,
      got: `[${weight.shape}], [${bias.shape}]`,
    });
  }
  return tf.tidy(() => {
    const y = tf.add(tf.matMul(tf.reshape(x, [-1, inF]), weight), bias); // [N, out]
    return tf.reshape(y, [...x.shape.slice(0, -1), weight.shape[1]!]);
  });
}

export interface Gpt2BlockOutput {
  /** [B, L, D] */
  x: tf.Tensor;
  /** This layer's keys / values of the past AND the new positions: [B, H, P + L, hd]. */
  key: tf.Tensor4D;
  value: tf.Tensor4D;
}

/**
 * @param x       [B, L, D]
 * @param past    this layer's cached keys / values [B, H, P, hd] (P = 0 without a cache)
 * @param keyMask [B, P + L] 1 = real key, 0 = padding (left-padded batches); undefined = all real
 */
export function gpt2Block(
  p: ParamStore,
  i: number,
  o: Gpt2Options,
  x: tf.Tensor,
  past: { key: tf.Tensor4D; value: tf.Tensor4D } | undefined,
  keyMask: tf.Tensor | undefined,
): Gpt2BlockOutput {
  const b = `h.${i}`;
  const D = o.hidden;
  const ln = (name: string, t: tf.Tensor) =>
    layerNorm(t, { weight: p.get(`${name}.weight`), bias: p.get(`${name}.bias`), eps: o.layerNormEps });
  const conv = (name: string, t: tf.Tensor) => conv1d(t, p.get(`${name}.weight`), p.get(`${name}.bias`));
  return tf.tidy(() => {
    const qkv = conv(`${b}.attn.c_attn`, ln(`${b}.ln_1`, x)); // [B, L, 3D]: Q [0:D], K [D:2D], V [2D:3D]
    const [q, kNew, vNew] = tf.split(qkv, [D, D, D], 2).map((t) => splitHeads(t, o.heads)) as [
      tf.Tensor4D,
      tf.Tensor4D,
      tf.Tensor4D,
    ];
    const key = past ? (tf.concat([past.key, kNew], 2) as tf.Tensor4D) : kNew; // [B, H, P + L, hd]
    const value = past ? (tf.concat([past.value, vNew], 2) as tf.Tensor4D) : vNew;
    // Query i (absolute P + i) sees keys j ≤ P + i; scale 1/√hd (scale_attn_weights).
    const att = attention(q, key, value, keyMask ? { causal: true, keyPaddingMask: keyMask } : { causal: true });
    const x1 = tf.add(x, conv(`${b}.attn.c_proj`, mergeHeads(att)));
    const m = conv(`${b}.mlp.c_proj`, geluTanh(conv(`${b}.mlp.c_fc`, ln(`${b}.ln_2`, x1))));
    return { x: tf.add(x1, m), key, value };
  });
}
