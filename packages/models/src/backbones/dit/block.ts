// One DDiTBlock (pre-norm, adaLN, gated residuals; fixtures/checkpoints/README.md §2.6;
// Score-Entropy-Discrete-Diffusion model/transformer.py:DDiTBlock.forward):
//   shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = adaLN_modulation(c).chunk(6)
//   x = x + gate_msa · attn_out(attention(rotary(qkv(modulate(norm1(x), shift_msa, scale_msa)))))
//   x = x + gate_mlp · mlp.2(GELU_tanh(mlp.0(modulate(norm2(x), shift_mlp, scale_mlp))))
import {
  applyRotary,
  attention,
  geluTanh,
  layerNorm,
  linear,
  mergeHeads,
  splitHeads,
  tf,
  type ParamStore,
  type RotaryTables,
} from '@dlm/core';
import type { DitOptions } from './options.ts';

/** modulate(x, shift, scale) = x·(1 + scale) + shift; x [B, L, D], shift/scale [B, 1, D]. */
export function modulate(x: tf.Tensor, shift: tf.Tensor, scale: tf.Tensor): tf.Tensor {
  return tf.add(tf.mul(x, tf.add(scale, 1)), shift);
}

/** LayerNorm without affine, then the weight if the model has one (README §2.4). */
export function ditNorm(p: ParamStore, name: string, x: tf.Tensor): tf.Tensor {
  const weight = p.maybe(`${name}.weight`);
  return layerNorm(x, weight ? { weight } : {});
}

/** adaLN_modulation(c) [B, C] → `chunks` tensors [B, 1, D] in feature order. */
export function adaLNChunks(p: ParamStore, prefix: string, c: tf.Tensor, chunks: number): tf.Tensor[] {
  const mod = linear(c, p.get(`${prefix}.weight`), p.get(`${prefix}.bias`)); // [B, chunks·D]
  return tf.split(tf.expandDims(mod, 1), chunks, 2); // chunks × [B, 1, D]
}

export interface BlockDropout {
  rate: number;
  seeds: readonly [number, number];
}

/**
 * @param x      [B, L, D]
 * @param c      [B, C] (already through the model's SiLU); undefined for a block without adaLN (MDLM's AR
 *               baseline, kuleshov-group/mdlm models/autoregressive.py:DDiTBlock): plain pre-norm residuals
 * @param rope   tables [L, hd] when positions are rotary
 * @param drop   training-time dropout (SEDD/MDLM bias_dropout_add_scale: on the attention-output and MLP
 *               branches before the gate, none on the attention probabilities); seeds make it reproducible
 * @param causal query i attends to keys j ≤ i only (flash_attn causal=True in the AR baseline)
 * @returns      [B, L, D]
 */
export function ditBlock(
  p: ParamStore,
  i: number,
  o: Pick<DitOptions, 'hidden' | 'heads'>,
  x: tf.Tensor,
  c: tf.Tensor | undefined,
  rope: RotaryTables | undefined,
  drop?: BlockDropout,
  causal = false,
): tf.Tensor {
  const dropout = (t: tf.Tensor, k: 0 | 1) =>
    drop && drop.rate > 0 ? tf.dropout(t, drop.rate, undefined, drop.seeds[k]) : t;
  const b = `blocks.${i}`;
  return tf.tidy(() => {
    // Without conditioning: no modulation and gates of 1.
    type Six = [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const mod = c ? (adaLNChunks(p, `${b}.adaLN_modulation`, c, 6) as Six) : undefined;
    const modOr = (t: tf.Tensor, k: 0 | 3) => (mod ? modulate(t, mod[k], mod[k + 1]!) : t);
    const gate = (t: tf.Tensor, k: 2 | 5) => (mod ? tf.mul(mod[k], t) : t);

    const h = modOr(ditNorm(p, `${b}.norm1`, x), 0);
    // qkv features are laid out (three, H, hd): [0:D] Q, [D:2D] K, [2D:3D] V; head j owns [j·hd, (j+1)·hd).
    // Q, K, V come from the three row blocks of attn_qkv.weight [3D, D] (contiguous slices), which
    // is the same product as splitting the [B, L, 3D] output but skips a slow strided split.
    const wQkv = p.get(`${b}.attn_qkv.weight`);
    const D = o.hidden;
    const [q, k, v] = [0, 1, 2].map((j) => splitHeads(linear(h, tf.slice(wQkv, [j * D, 0], [D, D])), o.heads)) as [
      tf.Tensor4D,
      tf.Tensor4D,
      tf.Tensor4D,
    ]; // [B, H, L, hd]
    const [qr, kr] = rope ? [applyRotary(q, rope), applyRotary(k, rope)] : [q, k];
    const att = attention(qr, kr, v, { causal }); // causal: the AR baseline; else bidirectional
    const x1 = tf.add(x, gate(dropout(linear(mergeHeads(att), p.get(`${b}.attn_out.weight`)), 0), 2));

    const h2 = modOr(ditNorm(p, `${b}.norm2`, x1), 3);
    const m = linear(
      geluTanh(linear(h2, p.get(`${b}.mlp.0.weight`), p.get(`${b}.mlp.0.bias`))),
      p.get(`${b}.mlp.2.weight`),
      p.get(`${b}.mlp.2.bias`),
    );
    return tf.add(x1, gate(dropout(m, 1), 5));
  });
}
