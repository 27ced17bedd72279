// The Diffusion-LM / DiffuSeq denoiser: noisy word embeddings x_t [B, L, d] and timesteps [B] → x0 prediction
// [B, L, d]; the tied word embedding E [V, d] gives the clean embeddings and the rounding logits.
// Timesteps may also be one per position, t [B, L] (AR-Diffusion's per-token time): the same sinusoid and MLP
// per token, emb_t [B, L, H], added position by position instead of broadcast along L (microsoft/ProphetNet
// AR-diffusion/model_utils/diffusion_lm.py:CrossAttention_Diffusion_LM.forward and gaussian_diffusion.py:
// timestep_embedding @7f91e55, whose time_trans MLP maps [bs, seq_len, time_channels] → [bs, seq_len, hidden]).
// Source: Shark-NLP/DiffuSeq diffuseq/transformer_model.py:TransformerNetModel @8bfafcb (get_embeds, get_logits,
// forward); XiangLi1999/Diffusion-LM improved-diffusion/improved_diffusion/transformer_model2.py:
// TransformerNetModel2 @1b8b3db (the same network; it always has the projections, DiffuSeq only when d ≠ H).
//   emb_t  = time_embed.2(SiLU(time_embed.0(timestep_embedding(t, hidden_t_dim))))      [B, H] or [B, L, H]
//            timestep_embedding = [cos(t·f_i), sin(t·f_i)], f_i = exp(−ln(10000)·i/half), zero column if odd
//   emb_x  = input_up_proj.2(tanh(input_up_proj.0(x_t)))     (x_t itself when d = H)   [B, L, H]
//   h      = dropout(LayerNorm(position_embeddings[0:L] + emb_x + emb_t))   (emb_t [B, H] broadcast over L)
//   h      = BertEncoder(h)                                   (bert-layer.ts, post-LN)  [B, L, H]
//   out    = output_down_proj.2(tanh(output_down_proj.0(h)))  (h itself when d = H)   [B, L, d]
//   logits = h·Eᵀ + lm_head.bias (logits_mode 1) or −‖h − E_v‖ (mode 2)                 [B, L, V]
import {
  ShapeError,
  embedding,
  layerNorm,
  linear,
  silu,
  tf,
  timestepFeatures,
  type ParamStore,
  type Rng,
} from '@dlm/core';
import { embeddingLogits } from '@dlm/processes';
import { bertLayer } from './bert-layer.ts';
import type { EmbeddingTransformerOptions } from './options.ts';
import { createEmbeddingTransformerParams } from './params.ts';

const OP = 'EmbeddingTransformer';

export class EmbeddingTransformer {
  readonly params: ParamStore;

  constructor(
    readonly options: EmbeddingTransformerOptions,
    rng: Rng,
  ) {
    this.params = createEmbeddingTransformerParams(options, rng);
  }

  /** E [V, d]: the word embedding, also the output head (lm_head.weight is tied to it). */
  embeddingWeight(): tf.Variable {
    return this.params.get('word_embedding.weight');
  }

  /** E[ids]: int32 [B, L] → [B, L, d] (get_embeds). */
  embed(ids: tf.Tensor): tf.Tensor3D {
    if (ids.rank !== 2 || ids.dtype !== 'int32')
      throw new ShapeError({
        op: `${OP}.embed`,
        arg: 'ids',
        expected: 'int32 [B, L]',
        got: `${ids.dtype} [${ids.shape}]`,
      });
    return embedding(this.embeddingWeight(), ids) as tf.Tensor3D;
  }

  /** emb_t = time_embed(timestep_embedding(t)): t [B] → [B, H]; t [B, L] (per position) → [B, L, H]. */
  timeEmbedding(t: tf.Tensor): tf.Tensor2D | tf.Tensor3D {
    const p = this.params;
    return tf.tidy(() => {
      const f = timestepFeatures(tf.reshape(t, [-1]), this.options.timeDim); // [B(·L), t_dim], cos first
      const h = silu(linear(f, p.get('time_embed.0.weight'), p.get('time_embed.0.bias'))); // [B(·L), 4·t_dim]
      const e = linear(h, p.get('time_embed.2.weight'), p.get('time_embed.2.bias')); // [B(·L), H]
      if (t.rank === 1) return e as tf.Tensor2D;
      return tf.reshape(e, [t.shape[0]!, t.shape[1]!, this.options.hidden]) as tf.Tensor3D; // [B, L, H]
    });
  }

  /**
   * @param x     x_t float32 [B, L, d], L ≤ seq_len
   * @param t     float32 [B], or [B, L] (one per position): the timestep the model sees (t·1000/T under
   *              rescale_timesteps)
   * @param train dropout at the configured rates with seeds from `train.seed` (inference: undefined)
   * @returns     [B, L, d] (the x0 prediction in both references' configuration)
   */
  forward(x: tf.Tensor, t: tf.Tensor, train?: { seed: number }): tf.Tensor3D {
    const o = this.options;
    const p = this.params;
    const [B, L, d] = x.shape as [number, number, number];
    if (x.rank !== 3 || d !== o.embeddingDim)
      throw new ShapeError({
        op: `${OP}.forward`,
        arg: 'x',
        expected: `[B, L, ${o.embeddingDim}]`,
        got: `[${x.shape}]`,
      });
    if (L > o.seqLen)
      throw new ShapeError({ op: `${OP}.forward`, arg: 'x', expected: `length ≤ seq_len ${o.seqLen}`, got: String(L) });
    const perRow = t.rank === 1 && t.shape[0] === B;
    if (!perRow && !(t.rank === 2 && t.shape[0] === B && t.shape[1] === L))
      throw new ShapeError({
        op: `${OP}.forward`,
        arg: 't',
        expected: `[${B}] (one timestep per row) or [${B}, ${L}] (one per position)`,
        got: `[${t.shape}]`,
      });
    const lin = (name: string, v: tf.Tensor) => linear(v, p.get(`${name}.weight`), p.get(`${name}.bias`));
    const mlp = (name: string, v: tf.Tensor) => lin(`${name}.2`, tf.tanh(lin(`${name}.0`, v)));
    // Site 0: the input dropout; layer i uses sites 3i+1 … 3i+3.
    const seed = (k: number) => train!.seed + k;
    return tf.tidy(() => {
      const embT = this.timeEmbedding(t); // [B, H] or [B, L, H]
      const embX = o.projections ? mlp('input_up_proj', x) : x; // [B, L, H]
      const pos = tf.slice(p.get('position_embeddings.weight'), [0, 0], [L, o.hidden]); // [L, H]
      let h = tf.add(tf.add(embX, pos), perRow ? tf.expandDims(embT, 1) : embT); // [B, L, H]
      h = layerNorm(h, { weight: p.get('LayerNorm.weight'), bias: p.get('LayerNorm.bias'), eps: o.layerNormEps });
      if (train && o.dropout > 0) h = tf.dropout(h, o.dropout, undefined, seed(0));
      for (let i = 0; i < o.layers; i++) {
        const drop = train
          ? {
              hidden: o.dropout,
              attention: o.attentionDropout,
              seeds: [seed(3 * i + 1), seed(3 * i + 2), seed(3 * i + 3)] as const,
            }
          : undefined;
        h = bertLayer(p, i, o, h, drop);
      }
      return (o.projections ? mlp('output_down_proj', h) : h) as tf.Tensor3D; // [B, L, d]
    });
  }

  /** Rounding logits (get_logits): h [..., d] → [..., V] with the tied head. */
  logits(h: tf.Tensor): tf.Tensor {
    const bias = this.params.maybe('lm_head.bias');
    return embeddingLogits(h, this.embeddingWeight(), {
      mode: this.options.logitsMode,
      ...(bias ? { bias } : {}),
    });
  }

  /** True when any dropout rate is > 0 (the backbone then draws a seed from the train Rng). */
  hasDropout(): boolean {
    return this.options.dropout > 0 || this.options.attentionDropout > 0;
  }

  dispose(): void {
    this.params.dispose();
  }
}
