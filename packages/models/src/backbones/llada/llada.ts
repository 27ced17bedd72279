// The LLaDA backbone: input_ids int32 [B, L] (+ optional attention_mask [B, L]) → logits
// [B, L, embedding_size]. fixtures/checkpoints/README.md §5; LLaDA modeling_llada.py:
// LLaDAModelLM.forward(input_ids, attention_mask).logits (eval mode, float32). Parameter names are
// the published state_dict names (`model.transformer.…`), so a checkpoint loads strictly by name.
import {
  ConfigError,
  ParamStore,
  Rng,
  ShapeError,
  embedding,
  rmsNorm,
  rotaryInvFreq,
  rotaryTables,
  tf,
  type StateSource,
  type StateTensor,
} from '@dlm/core';
import { lladaBlock } from './block.ts';
import { paramProjection, type LladaInferenceWeights } from './inference-weights.ts';
import { lladaConfigInfo, type LladaConfigInfo } from './config.ts';
import { modelFromCheckpoint } from '../from-checkpoint.ts';
import { resolveLladaOptions, type LladaOptions, type LladaOptionsInput } from './options.ts';

const T = 'model.transformer';

export interface LladaForwardOptions {
  /** [B, L], 1 = keep, 0 = padding: padded KEYS get (1 − mask)·finfo(float32).min on their scores. */
  attentionMask?: tf.Tensor;
  /** Pre-transposed weights for generation (the same products; default: `linear` on the parameters). */
  weights?: LladaInferenceWeights;
}

export class LladaModel {
  readonly options: LladaOptions;
  readonly params: ParamStore;
  /** [hd/2] 1/rope_theta^(arange(0, hd, 2)/hd) — computed, not stored (LLaDA RotaryEmbedding). */
  readonly invFreq: Float32Array;

  /**
   * Random init (norm weights 1, matrices N(0, initStd²); LLaDA's `init_std` 0.02 — not its
   * "mitchell" scheme): for training from scratch. Checkpoints overwrite everything via load().
   */
  constructor(options: LladaOptionsInput, rng: Rng, initStd = 0.02) {
    const o = (this.options = resolveLladaOptions(options));
    const hd = o.hidden / o.heads;
    this.invFreq = rotaryInvFreq(hd, o.ropeTheta);
    const p = (this.params = new ParamStore(rng));
    const w = { kind: 'normal', std: initStd } as const;
    p.add(`${T}.wte.weight`, [o.vocabSize, o.hidden], w);
    for (let i = 0; i < o.layers; i++) {
      const b = `${T}.blocks.${i}`;
      p.add(`${b}.attn_norm.weight`, [o.hidden], { kind: 'ones' });
      p.add(`${b}.q_proj.weight`, [o.hidden, o.hidden], w);
      p.add(`${b}.k_proj.weight`, [o.kvHeads * hd, o.hidden], w);
      p.add(`${b}.v_proj.weight`, [o.kvHeads * hd, o.hidden], w);
      p.add(`${b}.attn_out.weight`, [o.hidden, o.hidden], w);
      p.add(`${b}.ff_norm.weight`, [o.hidden], { kind: 'ones' });
      p.add(`${b}.ff_proj.weight`, [o.mlpHidden, o.hidden], w);
      p.add(`${b}.up_proj.weight`, [o.mlpHidden, o.hidden], w);
      p.add(`${b}.ff_out.weight`, [o.hidden, o.mlpHidden], w);
    }
    p.add(`${T}.ln_f.weight`, [o.hidden], { kind: 'ones' });
    p.add(`${T}.ff_out.weight`, [o.vocabSize, o.hidden], w);
  }

  /** Builds the model from a checkpoint folder: config.json + model.safetensors (or a sharded index). */
  static fromCheckpoint(dir: string): { model: LladaModel; info: LladaConfigInfo } {
    return modelFromCheckpoint(dir, lladaConfigInfo, (options, rng) => new LladaModel(options, rng));
  }

  numParams(): number {
    return this.params.numParams();
  }

  /** Strict load by the published names (every name present, no extra name, exact shapes). */
  load(dict: ReadonlyMap<string, StateTensor> | StateSource): void {
    this.params.load(dict, { strict: true });
  }

  /**
   * @param inputIds int32 [B, L], each in [0, vocabSize)
   * @returns logits [B, L, vocabSize] (no softmax, no MASK handling)
   */
  forward(inputIds: tf.Tensor, opts: LladaForwardOptions = {}): tf.Tensor3D {
    const o = this.options;
    const p = this.params;
    if (inputIds.rank !== 2 || inputIds.dtype !== 'int32')
      throw new ShapeError({
        op: 'LladaModel.forward',
        arg: 'inputIds',
        expected: 'int32 [B, L]',
        got: `${inputIds.dtype} [${inputIds.shape}]`,
      });
    const [b, l] = inputIds.shape as [number, number];
    const mask = opts.attentionMask;
    if (mask && (mask.rank !== 2 || mask.shape[0] !== b || mask.shape[1] !== l)) {
      throw new ShapeError({
        op: 'LladaModel.forward',
        arg: 'attentionMask',
        expected: `[${b}, ${l}]`,
        got: `[${mask.shape}]`,
      });
    }
    if (mask && mask.dtype === 'string')
      throw new ConfigError({
        op: 'LladaModel.forward',
        arg: 'attentionMask',
        expected: 'a numeric or bool tensor',
        got: mask.dtype,
      });
    return tf.tidy(() => {
      let x = embedding(p.get(`${T}.wte.weight`), inputIds); // [B, L, D]
      const rope = rotaryTables(l, this.invFreq); // cos/sin [L, hd], positions 0 … L−1
      const proj = opts.weights?.project ?? paramProjection(p);
      for (let i = 0; i < o.layers; i++) x = lladaBlock(p, i, o, x, rope, mask, proj);
      const h = rmsNorm(x, { weight: p.get(`${T}.ln_f.weight`), eps: o.rmsNormEps });
      return proj(h, `${T}.ff_out.weight`) as tf.Tensor3D; // [B, L, V], untied head
    });
  }

  dispose(): void {
    this.params.dispose();
  }
}
