// The SEDD/MDLM DiT (DDiT) backbone: (indices int32 [B, L], σ float32 [B]) → logits [B, L, V].
// fixtures/checkpoints/README.md §2; SEDD model/transformer.py:SEDD.forward (without its
// scale_by_sigma/scatter post-processing, see sedd-log-score.ts) = MDLM models/dit.py:DIT.forward.
import {
  ShapeError,
  embedding,
  linear,
  rotaryTables,
  silu,
  tf,
  timestepFeatures,
  type ParamStore,
  type Rng,
  type StateSource,
  type StateTensor,
} from '@dlm/core';
import { adaLNChunks, ditBlock, ditNorm, modulate } from './block.ts';
import { resolveDitOptions, type DitOptions, type DitOptionsInput } from './options.ts';
import { createDitParams, type DitInit } from './params.ts';

export class Dit {
  readonly options: DitOptions;
  readonly params: ParamStore;

  constructor(options: DitOptionsInput, rng: Rng, init: DitInit = 'reference') {
    this.options = resolveDitOptions(options);
    this.params = createDitParams(this.options, rng, init);
  }

  /** Trainable scalar count (the rotary buffer is not counted). */
  numParams(): number {
    return this.params.numParams();
  }

  /** Loads a state dict with the reference names (strict). MDLM's hf_dit layout: prefix 'backbone.'. */
  load(dict: ReadonlyMap<string, StateTensor> | StateSource, opts: { prefix?: string } = {}): void {
    this.params.load(dict, { ...opts, strict: true });
  }

  /** c = SiLU(sigma_map(σ)) [B, C]; σ zeroed without time conditioning (MDLM _process_sigma). */
  conditioning(sigma: tf.Tensor): tf.Tensor {
    const p = this.params;
    return tf.tidy(() => {
      const s = this.options.timeConditioning ? sigma : tf.zerosLike(sigma);
      const tFreq = timestepFeatures(s, this.options.timeFeatures); // [B, 256], cos first
      const cRaw = linear(
        silu(linear(tFreq, p.get('sigma_map.mlp.0.weight'), p.get('sigma_map.mlp.0.bias'))),
        p.get('sigma_map.mlp.2.weight'),
        p.get('sigma_map.mlp.2.bias'),
      );
      return silu(cRaw); // the forward's extra F.silu
    });
  }

  /**
   * @param indices int32 [B, L]
   * @param sigma   float32 [B] (total noise σ̄(t); ignored when timeConditioning is false)
   * @param train   dropout for training: rate and a seed (inference passes nothing = no dropout)
   * @returns       logits [B, L, V]
   */
  forward(indices: tf.Tensor, sigma: tf.Tensor, train?: { dropout: number; seed: number }): tf.Tensor3D {
    const head = this.outputHead();
    return tf.tidy(() => {
      const h = this.forwardHidden(indices, sigma, train); // [B, L, D]
      return linear(h, head.weight, head.bias) as tf.Tensor3D; // [B, L, V]
    });
  }

  /** The output projection: logits = forwardHidden(…)·weightᵀ + bias (weight [V, D], bias [V]). */
  outputHead(): { weight: tf.Tensor; bias: tf.Tensor } {
    return { weight: this.params.get('output_layer.linear.weight'), bias: this.params.get('output_layer.linear.bias') };
  }

  /**
   * forward() up to the output projection: the final normed (and adaLN-modulated) hidden states
   * [B, L, D], for losses that apply the vocabulary projection in chunks (@dlm/losses mdlmNelboLossFromHidden).
   */
  forwardHidden(indices: tf.Tensor, sigma: tf.Tensor, train?: { dropout: number; seed: number }): tf.Tensor3D {
    const o = this.options;
    const p = this.params;
    const [b, l] = indices.shape as [number, number];
    if (indices.rank !== 2 || indices.dtype !== 'int32')
      throw new ShapeError({
        op: 'Dit.forward',
        arg: 'indices',
        expected: 'int32 [B, L]',
        got: `${indices.dtype} [${indices.shape}]`,
      });
    if (sigma.rank !== 1 || sigma.shape[0] !== b)
      throw new ShapeError({ op: 'Dit.forward', arg: 'sigma', expected: `[${b}]`, got: `[${sigma.shape}]` });
    if (o.positions === 'learned' && l > o.maxLength)
      throw new ShapeError({
        op: 'Dit.forward',
        arg: 'indices',
        expected: `length ≤ maxLength ${o.maxLength}`,
        got: String(l),
      });
    return tf.tidy(() => {
      let x = embedding(p.get('vocab_embed.embedding'), indices); // [B, L, D]
      if (o.positions === 'learned') x = tf.add(x, tf.slice(p.get('pos_embed.embedding'), [0, 0], [l, o.hidden]));
      const c = this.conditioning(sigma); // [B, C]
      const rope = o.positions === 'rotary' ? rotaryTables(l, p.get('rotary_emb.inv_freq')) : undefined; // [L, hd]
      for (let i = 0; i < o.blocks; i++) {
        const drop =
          train && train.dropout > 0
            ? { rate: train.dropout, seeds: [train.seed + 2 * i, train.seed + 2 * i + 1] as const }
            : undefined;
        x = ditBlock(p, i, o, x, c, rope, drop);
      }
      let h = ditNorm(p, 'output_layer.norm_final', x);
      if (o.finalAdaLN) {
        const [shift, scale] = adaLNChunks(p, 'output_layer.adaLN_modulation', c, 2) as [tf.Tensor, tf.Tensor];
        h = modulate(h, shift, scale);
      }
      return h as tf.Tensor3D; // [B, L, D]
    });
  }

  dispose(): void {
    this.params.dispose();
  }
}
