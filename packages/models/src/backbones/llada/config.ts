// Reading a LLaDA HF config.json (`LLaDAConfig`, `model_type: "llada"`; GSAI-ML/LLaDA-8B-Base key
// set, fixtures/checkpoints/README.md §5) into LladaOptions. Fields the forward uses are read;
// structural flags this backbone does not implement are checked and rejected with a ConfigError
// naming the key. Other keys (dropouts — eval mode —, init_*, precision, token ids, …) are ignored.
import { ConfigError, brief } from '@dlm/core';
import type { LladaOptionsInput } from './options.ts';

type Json = Record<string, unknown>;

/** Required value of each supported flag; `undefined`-able ones accept absence. */
const REQUIRED: ReadonlyArray<readonly [key: string, allowed: readonly unknown[]]> = [
  ['block_type', ['llama']],
  ['layer_norm_type', ['rms']],
  ['activation_type', ['silu']],
  ['rope', [true]],
  ['alibi', [false, undefined]],
  ['include_bias', [false, undefined]],
  ['include_qkv_bias', [false, undefined]],
  ['bias_for_layer_norm', [false, null, undefined]],
  ['layer_norm_with_affine', [true, undefined]],
  ['weight_tying', [false]],
  ['scale_logits', [false, undefined]],
  ['input_emb_norm', [false, undefined]],
  ['attention_layer_norm', [false, undefined]],
  ['clip_qkv', [null, undefined]],
];

export interface LladaConfigInfo {
  options: LladaOptionsInput;
  /** `mask_token_id` if present (an ordinary embedding row for the network). */
  maskId: number | undefined;
  /** `pad_token_id` if present. */
  padId: number | undefined;
}

function intField(cfg: Json, key: string, file: string, optional = false): number | undefined {
  const v = cfg[key];
  if (v === undefined || v === null) {
    if (optional) return undefined;
    throw new ConfigError({ op: 'read LLaDA config', arg: `${file}: ${key}`, expected: 'present' }, 'is missing');
  }
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0))
    throw new ConfigError({
      op: 'read LLaDA config',
      arg: `${file}: ${key}`,
      expected: 'an integer ≥ 0',
      got: brief(v),
    });
  return v;
}

function numField(cfg: Json, key: string, file: string, fallback: number): number {
  const v = cfg[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !(v > 0))
    throw new ConfigError({ op: 'read LLaDA config', arg: `${file}: ${key}`, expected: 'a number > 0', got: brief(v) });
  return v;
}

/**
 * effective_n_kv_heads (LLaDA configuration_llada.py ModelConfig.effective_n_kv_heads):
 * n_kv_heads absent → 1 with multi_query_attention, else n_heads; present → must agree with
 * multi_query_attention when that is set.
 */
function kvHeads(cfg: Json, heads: number, file: string): number {
  const n = intField(cfg, 'n_kv_heads', file, true);
  const mqa = cfg['multi_query_attention'];
  if (mqa !== undefined && mqa !== null && typeof mqa !== 'boolean') {
    throw new ConfigError({
      op: 'read LLaDA config',
      arg: `${file}: multi_query_attention`,
      expected: 'a boolean or null',
      got: brief(mqa),
    });
  }
  if (n === undefined) return mqa === true ? 1 : heads;
  if (mqa === undefined || mqa === null) return n;
  const should = mqa ? 1 : heads;
  if (n !== should)
    throw new ConfigError({
      op: 'read LLaDA config',
      arg: `${file}: n_kv_heads`,
      expected: `${should} (multi_query_attention = ${mqa})`,
      got: brief(n),
    });
  return n;
}

/** LLaDA HF config → backbone options (throws ConfigError naming any unsupported key). */
export function lladaConfigInfo(config: unknown, file = 'config.json'): LladaConfigInfo {
  const op = 'read LLaDA config';
  if (config === null || typeof config !== 'object')
    throw new ConfigError({ op, arg: file, expected: 'a JSON object', got: brief(config) });
  const cfg = config as Json;
  if (cfg['model_type'] !== 'llada')
    throw new ConfigError({ op, arg: `${file}: model_type`, expected: '"llada"', got: brief(cfg['model_type']) });
  for (const [key, allowed] of REQUIRED) {
    if (!allowed.includes(cfg[key])) {
      throw new ConfigError(
        {
          op,
          arg: `${file}: ${key}`,
          expected: allowed.map((a) => (a === undefined ? 'absent' : JSON.stringify(a))).join(' or '),
        },
        `value ${brief(cfg[key])} is not supported by this backbone`,
      );
    }
  }
  const hidden = intField(cfg, 'd_model', file)!;
  const heads = intField(cfg, 'n_heads', file)!;
  const vocab = intField(cfg, 'vocab_size', file)!;
  // embedding_size null → vocab_size (LLaDA ModelConfig); it must cover the vocabulary.
  const vocabSize = intField(cfg, 'embedding_size', file, true) ?? vocab;
  if (vocabSize < vocab)
    throw new ConfigError({
      op,
      arg: `${file}: embedding_size`,
      expected: `≥ vocab_size (${vocab})`,
      got: brief(vocabSize),
    });
  // mlp_hidden_size null → mlp_ratio·d_model (LLaDALlamaBlock.hidden_size); SiLU's output multiplier is 1.
  const mlpHidden =
    intField(cfg, 'mlp_hidden_size', file, true) ?? (intField(cfg, 'mlp_ratio', file, true) ?? 4) * hidden;
  const options: LladaOptionsInput = {
    vocabSize,
    hidden,
    heads,
    kvHeads: kvHeads(cfg, heads, file),
    layers: intField(cfg, 'n_layers', file)!,
    mlpHidden,
    rmsNormEps: numField(cfg, 'rms_norm_eps', file, 1e-5),
    ropeTheta: numField(cfg, 'rope_theta', file, 10000),
  };
  return {
    options,
    maskId: intField(cfg, 'mask_token_id', file, true),
    padId: intField(cfg, 'pad_token_id', file, true),
  };
}
