// One LLaDALlamaBlock (pre-norm, plain residuals; fixtures/checkpoints/README.md §5.2;
// LLaDA modeling_llada.py:LLaDALlamaBlock.forward):
//   h = RMSNorm(x)·attn_norm;  q, k, v = q_proj(h), k_proj(h), v_proj(h)
//   q, k = rotary(q), rotary(k)            (whole head dim, rotate-half, base rope_theta)
//   x = x + attn_out( softmax(q kᵀ/√hd + key-padding bias) v )   (bidirectional)
//   h = RMSNorm(x)·ff_norm;    x = x + ff_out( SiLU(ff_proj(h)) ⊙ up_proj(h) )
import {
  applyRotary,
  attention,
  mergeHeads,
  rmsNorm,
  silu,
  splitHeads,
  tf,
  type ParamStore,
  type RotaryTables,
} from '@dlm/core';
import { paramProjection, type Projection } from './inference-weights.ts';
import type { LladaOptions } from './options.ts';

/**
 * Grouped K/V heads repeated to the query head count, head j of the output = kv head ⌊j / rep⌋
 * (torch `repeat_interleave(rep, dim=1)`, as LLaDA's attention does when n_kv_heads < n_heads).
 * @param x [B, Hkv, L, hd] → [B, Hkv·rep, L, hd]
 */
export function repeatKvHeads(x: tf.Tensor4D, rep: number): tf.Tensor4D {
  if (rep === 1) return x;
  const [b, hkv, l, hd] = x.shape;
  return tf.tidy(
    () => tf.reshape(tf.tile(tf.expandDims(x, 2), [1, 1, rep, 1, 1]), [b, hkv * rep, l, hd]) as tf.Tensor4D,
  );
}

/**
 * The attention inputs of block i: q [B, H, L, hd], k and v [B, Hkv, L, hd], all before rotary.
 * @param x [B, L, D]
 */
export function lladaQkv(
  p: ParamStore,
  i: number,
  o: LladaOptions,
  x: tf.Tensor,
  proj: Projection = paramProjection(p),
): { q: tf.Tensor4D; k: tf.Tensor4D; v: tf.Tensor4D } {
  const b = `model.transformer.blocks.${i}`;
  return tf.tidy(() => {
    const h = rmsNorm(x, { weight: p.get(`${b}.attn_norm.weight`), eps: o.rmsNormEps }); // [B, L, D]
    return {
      q: splitHeads(proj(h, `${b}.q_proj.weight`), o.heads), // [B, H, L, hd]
      k: splitHeads(proj(h, `${b}.k_proj.weight`), o.kvHeads), // [B, Hkv, L, hd]
      v: splitHeads(proj(h, `${b}.v_proj.weight`), o.kvHeads), // [B, Hkv, L, hd]
    };
  });
}

/**
 * The rest of block i once attention ran: x + attn_out(att), then the SwiGLU feed-forward with its residual.
 * @param x [B, L, D] the block's input; @param att [B, H, L, hd] → [B, L, D]
 */
export function lladaBlockOutput(
  p: ParamStore,
  i: number,
  o: LladaOptions,
  x: tf.Tensor,
  att: tf.Tensor,
  proj: Projection = paramProjection(p),
): tf.Tensor {
  const b = `model.transformer.blocks.${i}`;
  return tf.tidy(() => {
    const x1 = tf.add(x, proj(mergeHeads(att), `${b}.attn_out.weight`));
    const h2 = rmsNorm(x1, { weight: p.get(`${b}.ff_norm.weight`), eps: o.rmsNormEps });
    const gate = silu(proj(h2, `${b}.ff_proj.weight`)); // [B, L, F]
    const up = proj(h2, `${b}.up_proj.weight`); // [B, L, F]
    return tf.add(x1, proj(tf.mul(gate, up), `${b}.ff_out.weight`));
  });
}

/**
 * @param x    [B, L, D]
 * @param rope tables [L, hd]
 * @param keyPaddingMask [B, L], 1 = keep, 0 = padded key (optional)
 * @param proj the projections (training: `linear` on the parameters; generation: LladaInferenceWeights)
 * @returns    [B, L, D]
 */
export function lladaBlock(
  p: ParamStore,
  i: number,
  o: LladaOptions,
  x: tf.Tensor,
  rope: RotaryTables,
  keyPaddingMask?: tf.Tensor,
  proj: Projection = paramProjection(p),
): tf.Tensor {
  return tf.tidy(() => {
    const { q, k, v } = lladaQkv(p, i, o, x, proj);
    const rep = o.heads / o.kvHeads;
    const kr = repeatKvHeads(applyRotary(k, rope) as tf.Tensor4D, rep);
    // [B, H, L, hd]
    const att = attention(applyRotary(q, rope), kr, repeatKvHeads(v, rep), keyPaddingMask ? { keyPaddingMask } : {});
    return lladaBlockOutput(p, i, o, x, att, proj);
  });
}
