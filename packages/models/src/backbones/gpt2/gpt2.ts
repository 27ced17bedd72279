// The GPT-2 backbone: input_ids int32 [B, L] → logits [B, L, V] and the key/value cache, in the layout of
// the published `gpt2` checkpoint (fixtures/checkpoints/README.md §8; transformers GPT2LMHeadModel, eval
// mode, float32). Parameter names are the published model.safetensors names (no `transformer.` prefix;
// the head is tied to `wte.weight`), so a checkpoint loads strictly by name.
//   x = wte[ids] + wpe[positions]; x = block_i(x); logits = ln_f(x)·wteᵀ
// Positions count real tokens only: position_ids = cumsum(attention_mask) − 1, 0 on padding (HF
// GPT2LMHeadModel.prepare_inputs_for_generation), so a left-padded prompt gives, at its real positions, the
// logits of the prompt alone.
import {
  CheckpointError,
  ConfigError,
  ParamStore,
  Rng,
  ShapeError,
  embedding,
  layerNorm,
  linear,
  asStateSource,
  renameStateSource,
  tf,
  type StateSource,
  type StateTensor,
} from '@dlm/core';
import { gpt2Block } from './block.ts';
import { gpt2ConfigInfo, type Gpt2ConfigInfo } from './config.ts';
import { Gpt2KvCache } from './kv-cache.ts';
import { modelFromCheckpoint } from '../from-checkpoint.ts';
import { resolveGpt2Options, type Gpt2Options, type Gpt2OptionsInput } from './options.ts';

export interface Gpt2ForwardOptions {
  /**
   * [B, P + L] (P = cached positions), 1 = real token, 0 = padding (HF convention: it covers the cache too).
   * Default: the cache's mask followed by ones, or all ones without a cache.
   */
  attentionMask?: tf.Tensor;
  /** The cache a previous forward returned (not disposed by this call). */
  past?: Gpt2KvCache;
}

export interface Gpt2Output {
  /** [B, L, V]; position t scores the token at t + 1. */
  logits: tf.Tensor3D;
  /** Keys / values / mask of all P + L positions (new tensors: the caller disposes it). */
  past: Gpt2KvCache;
}

const CAUSAL_BUFFER = /^h\.(\d+)\.attn\.bias$/;
const OLD_MASKED_BIAS = /^h\.(\d+)\.attn\.masked_bias$/;

export class Gpt2Model {
  readonly options: Gpt2Options;
  readonly params: ParamStore;

  /**
   * GPT-2's own init (GPT2PreTrainedModel._init_weights): matrices and tables N(0, initStd²) (initializer_range
   * 0.02), biases 0, LayerNorms 1 / 0, and the residual projections (attn.c_proj, mlp.c_proj) N(0,
   * (initStd/√(2·n_layer))²). For training from scratch; a checkpoint overwrites everything via load().
   */
  constructor(options: Gpt2OptionsInput, rng: Rng, opts: { initStd?: number } = {}) {
    const o = (this.options = resolveGpt2Options(options));
    const std = opts.initStd ?? 0.02;
    if (!(std > 0))
      throw new ConfigError({ op: 'Gpt2Model', arg: 'initStd', expected: 'a number > 0', got: String(std) });
    const p = (this.params = new ParamStore(rng));
    const D = o.hidden;
    const w = { kind: 'normal', std } as const;
    const wRes = { kind: 'normal', std: std / Math.sqrt(2 * o.layers) } as const;
    const zeros = { kind: 'zeros' } as const;
    const ln = (name: string) => {
      p.add(`${name}.weight`, [D], { kind: 'ones' });
      p.add(`${name}.bias`, [D], zeros);
    };
    p.add('wte.weight', [o.vocabSize, D], w);
    p.add('wpe.weight', [o.maxPositions, D], w);
    for (let i = 0; i < o.layers; i++) {
      const b = `h.${i}`;
      ln(`${b}.ln_1`);
      p.add(`${b}.attn.c_attn.weight`, [D, 3 * D], w);
      p.add(`${b}.attn.c_attn.bias`, [3 * D], zeros);
      p.add(`${b}.attn.c_proj.weight`, [D, D], wRes);
      p.add(`${b}.attn.c_proj.bias`, [D], zeros);
      ln(`${b}.ln_2`);
      p.add(`${b}.mlp.c_fc.weight`, [D, o.inner], w);
      p.add(`${b}.mlp.c_fc.bias`, [o.inner], zeros);
      p.add(`${b}.mlp.c_proj.weight`, [o.inner, D], wRes);
      p.add(`${b}.mlp.c_proj.bias`, [D], zeros);
    }
    ln('ln_f');
  }

  /** Builds the model from a checkpoint folder: config.json + model.safetensors (or a sharded index). */
  static fromCheckpoint(dir: string): { model: Gpt2Model; info: Gpt2ConfigInfo } {
    return modelFromCheckpoint(dir, gpt2ConfigInfo, (options, rng) => new Gpt2Model(options, rng));
  }

  numParams(): number {
    return this.params.numParams();
  }

  /**
   * Strict load by the published names. Also accepted, as GPT2LMHeadModel.save_pretrained writes them: a
   * `transformer.` prefix on every name, and `lm_head.weight` when it equals `wte.weight` (tied). The
   * `h.i.attn.bias` causal-mask buffers are checked to be lower-triangular ones [1, 1, n_positions,
   * n_positions] and dropped (the causal mask is built here); old `h.i.attn.masked_bias` scalars are dropped.
   */
  load(dict: ReadonlyMap<string, StateTensor> | StateSource): void {
    const op = 'Gpt2Model.load';
    const src = asStateSource(dict);
    const prefix = src.entries.has('transformer.wte.weight') ? 'transformer.' : '';
    // Buffers and the tied head are read here (each alone); the parameters stream through ParamStore.load.
    const strip = (k: string) => (k.startsWith(prefix) ? k.slice(prefix.length) : k);
    for (const k of src.entries.keys()) {
      if (CAUSAL_BUFFER.test(strip(k))) checkCausalBuffer(k, src.read(k), this.options.maxPositions);
    }
    if (src.entries.has('lm_head.weight')) {
      const head = src.read('lm_head.weight');
      const wteName = `${prefix}wte.weight`;
      const wte = src.entries.has(wteName) ? src.read(wteName) : undefined;
      if (wte && (head.data.length !== wte.data.length || head.data.some((v, i) => v !== wte.data[i]))) {
        throw new CheckpointError(
          { op, arg: 'lm_head.weight', expected: 'equal to wte.weight (GPT-2 ties its head)' },
          'differs: an untied head is not supported',
        );
      }
    }
    const kept = renameStateSource(src, (k) => {
      if (k === 'lm_head.weight') return undefined;
      const name = strip(k);
      return OLD_MASKED_BIAS.test(name) || CAUSAL_BUFFER.test(name) ? undefined : name;
    });
    this.params.load(kept, { strict: true });
  }

  /**
   * @param inputIds int32 [B, L], each in [0, vocabSize)
   * @returns logits [B, L, vocabSize] and the cache of all P + L positions
   */
  forward(inputIds: tf.Tensor, opts: Gpt2ForwardOptions = {}): Gpt2Output {
    const { hidden, past } = this.forwardHidden(inputIds, opts);
    const logits = tf.tidy(() => linear(hidden, this.outputHead().weight) as tf.Tensor3D); // [B, L, V]: tied head
    hidden.dispose();
    return { logits, past };
  }

  /** The output projection: logits = forwardHidden(…).hidden·weightᵀ, weight = wte [V, D] (tied), no bias. */
  outputHead(): { weight: tf.Tensor; bias?: undefined } {
    return { weight: this.params.get('wte.weight') };
  }

  /**
   * forward() up to the output projection: ln_f of the last block's output [B, L, D] (for losses that project
   * to GPT-2's 50257-id vocabulary in chunks), and the cache.
   */
  forwardHidden(inputIds: tf.Tensor, opts: Gpt2ForwardOptions = {}): { hidden: tf.Tensor3D; past: Gpt2KvCache } {
    const op = 'Gpt2Model.forward';
    const o = this.options;
    const p = this.params;
    if (inputIds.rank !== 2 || inputIds.dtype !== 'int32')
      throw new ShapeError({
        op,
        arg: 'inputIds',
        expected: 'int32 [B, L]',
        got: `${inputIds.dtype} [${inputIds.shape}]`,
      });
    const [b, l] = inputIds.shape as [number, number];
    const past = opts.past;
    const pLen = past ? past.length : 0;
    if (past && (past.batch !== b || past.keys.length !== o.layers)) {
      throw new ShapeError({
        op,
        arg: 'past',
        expected: `a cache of batch ${b} and ${o.layers} layers`,
        got: `batch ${past.batch}, ${past.keys.length} layers`,
      });
    }
    if (pLen + l > o.maxPositions)
      throw new ShapeError({
        op,
        arg: 'inputIds',
        expected: `cached + new length ≤ n_positions ${o.maxPositions}`,
        got: `${pLen} + ${l}`,
      });
    const mask = opts.attentionMask;
    if (mask && (mask.rank !== 2 || mask.shape[0] !== b || mask.shape[1] !== pLen + l)) {
      throw new ShapeError({
        op,
        arg: 'attentionMask',
        expected: `[${b}, ${pLen + l}] (cached + new positions)`,
        got: `[${mask.shape}]`,
      });
    }
    if (mask && mask.dtype === 'string')
      throw new ConfigError({ op, arg: 'attentionMask', expected: 'a numeric or bool tensor', got: mask.dtype });
    const masked = mask !== undefined || (past?.padded ?? false);
    const out = tf.tidy(() => {
      const fullMask = (
        mask
          ? tf.cast(tf.notEqual(mask, 0), 'float32')
          : past
            ? tf.concat([past.mask, tf.ones([b, l])], 1)
            : tf.ones([b, l])
      ) as tf.Tensor2D; // [B, P + L]
      // position_ids = cumsum(mask) − 1 on real tokens, 0 on padding; the last L columns are the new tokens.
      const positions = tf.cast(
        tf.slice(tf.mul(tf.sub(tf.cumsum(fullMask, 1), 1), fullMask), [0, pLen], [b, l]),
        'int32',
      );
      let x = tf.add(embedding(p.get('wte.weight'), inputIds), embedding(p.get('wpe.weight'), positions)); // [B, L, D]
      const keys: tf.Tensor4D[] = [];
      const values: tf.Tensor4D[] = [];
      for (let i = 0; i < o.layers; i++) {
        const layerPast = past ? { key: past.keys[i]!, value: past.values[i]! } : undefined;
        const r = gpt2Block(p, i, o, x, layerPast, masked ? fullMask : undefined);
        x = r.x;
        keys.push(r.key);
        values.push(r.value);
      }
      const hidden = layerNorm(x, {
        weight: p.get('ln_f.weight'),
        bias: p.get('ln_f.bias'),
        eps: o.layerNormEps,
      }) as tf.Tensor3D;
      return { hidden, keys, values, fullMask };
    });
    return { hidden: out.hidden, past: new Gpt2KvCache(out.keys, out.values, out.fullMask, masked) };
  }

  /** forward() without the cache: logits [B, L, V]. */
  logits(inputIds: tf.Tensor, opts: { attentionMask?: tf.Tensor } = {}): tf.Tensor3D {
    const { logits, past } = this.forward(inputIds, opts);
    past.dispose();
    return logits;
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** README §8: `h.i.attn.bias` is float32 (or bool) [1, 1, P, P] with 1 where key ≤ query. */
function checkCausalBuffer(name: string, t: StateTensor, positions: number): void {
  const op = 'Gpt2Model.load';
  const [a, c, q, k] = t.shape;
  if (t.shape.length !== 4 || a !== 1 || c !== 1 || q !== positions || k !== positions) {
    throw new CheckpointError({
      op,
      arg: name,
      expected: `the causal-mask buffer [1, 1, ${positions}, ${positions}]`,
      got: `[${t.shape}]`,
    });
  }
  for (let i = 0; i < positions; i++) {
    for (let j = 0; j < positions; j++) {
      if (Number(t.data[i * positions + j]) !== (j <= i ? 1 : 0)) {
        throw new CheckpointError({
          op,
          arg: name,
          expected: 'lower-triangular ones (1 where key ≤ query)',
          got: `${t.data[i * positions + j]} at [${i}, ${j}]`,
        });
      }
    }
  }
}
