// The causal DiT backbone (MDLM's AR baseline): int32 ids [B, L] → next-token logits [B, L, V], where
// the logits at position t depend on ids[0 … t] only. kuleshov-group/mdlm@c112c526
// models/autoregressive.py:AR.forward before its log-softmax (see ar-log-probs.ts for that step):
//   x = vocab_embed[ids]; x = block_i(x) (causal attention, rotary, no adaLN); out = linear(norm_final(x)).
import {
  ShapeError,
  embedding,
  linear,
  rotaryTables,
  tf,
  type ParamStore,
  type Rng,
  type StateTensor,
} from '@dlm/core';
import { ditBlock, ditNorm } from '../dit/block.ts';
import type { DitInit } from '../dit/params.ts';
import { resolveCausalDitOptions, type CausalDitOptions, type CausalDitOptionsInput } from './options.ts';
import { createCausalDitParams } from './params.ts';

export class CausalDit {
  readonly options: CausalDitOptions;
  readonly params: ParamStore;

  constructor(options: CausalDitOptionsInput, rng: Rng, init: DitInit = 'reference') {
    this.options = resolveCausalDitOptions(options);
    this.params = createCausalDitParams(this.options, rng, init);
  }

  /** Trainable scalar count (the rotary buffer is not counted). */
  numParams(): number {
    return this.params.numParams();
  }

  /** Strict load by the reference names; MDLM Lightning checkpoints store them under 'backbone.'. */
  load(dict: ReadonlyMap<string, StateTensor>, opts: { prefix?: string } = {}): void {
    this.params.load(dict, { ...opts, strict: true });
  }

  /**
   * @param indices int32 [B, L], L ≤ maxLength
   * @param train   dropout for training: rate and a seed (inference passes nothing = no dropout)
   * @returns       logits [B, L, V]; position t scores the token at t + 1
   */
  forward(indices: tf.Tensor, train?: { dropout: number; seed: number }): tf.Tensor3D {
    const head = this.outputHead();
    // [B, L, V]
    return tf.tidy(() => linear(this.forwardHidden(indices, train), head.weight, head.bias) as tf.Tensor3D);
  }

  /** The output projection: logits = forwardHidden(…)·weightᵀ + bias (weight [V, D], bias [V]). */
  outputHead(): { weight: tf.Tensor; bias: tf.Tensor } {
    return { weight: this.params.get('output_layer.linear.weight'), bias: this.params.get('output_layer.linear.bias') };
  }

  /** forward() up to the output projection: norm_final of the last block's output [B, L, D]. */
  forwardHidden(indices: tf.Tensor, train?: { dropout: number; seed: number }): tf.Tensor3D {
    const o = this.options;
    const p = this.params;
    const op = 'CausalDit.forward';
    if (indices.rank !== 2 || indices.dtype !== 'int32')
      throw new ShapeError({
        op,
        arg: 'indices',
        expected: 'int32 [B, L]',
        got: `${indices.dtype} [${indices.shape}]`,
      });
    const l = indices.shape[1]!;
    if (l > o.maxLength)
      throw new ShapeError({ op, arg: 'indices', expected: `length ≤ maxLength ${o.maxLength}`, got: String(l) });
    return tf.tidy(() => {
      let x = embedding(p.get('vocab_embed.embedding'), indices); // [B, L, D]
      const rope = rotaryTables(l, p.get('rotary_emb.inv_freq')); // [L, hd]
      for (let i = 0; i < o.blocks; i++) {
        const seeds = [(train?.seed ?? 0) + 2 * i, (train?.seed ?? 0) + 2 * i + 1] as const;
        const drop = train && train.dropout > 0 ? { rate: train.dropout, seeds } : undefined;
        x = ditBlock(p, i, o, x, undefined, rope, drop, true);
      }
      return ditNorm(p, 'output_layer.norm_final', x) as tf.Tensor3D; // [B, L, D]
    });
  }

  dispose(): void {
    this.params.dispose();
  }
}
