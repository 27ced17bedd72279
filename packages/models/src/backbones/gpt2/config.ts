// Reading a Hugging Face GPT-2 config.json (GPT2Config, `model_type: "gpt2"`; the key set of the
// published `gpt2/config.json`, fixtures/checkpoints/README.md §8) into Gpt2Options. The sizes are read;
// flags that change the forward away from GPT-2's are checked and rejected with a ConfigError naming the
// key. Dropouts (eval mode), summary_* (double-heads model), n_ctx, token ids and the rest are ignored.
import { ConfigError, brief } from '@dlm/core';
import type { Gpt2OptionsInput } from './options.ts';

type Json = Record<string, unknown>;

/** Accepted values of the flags the forward depends on (`undefined` = absent = GPT2Config's default). */
const REQUIRED: ReadonlyArray<readonly [key: string, allowed: readonly unknown[]]> = [
  // gelu_new and gelu_pytorch_tanh are the same tanh-approximated GELU.
  ['activation_function', ['gelu_new', 'gelu_pytorch_tanh', undefined]],
  ['scale_attn_weights', [true, undefined]],
  ['scale_attn_by_inverse_layer_idx', [false, undefined]],
  ['add_cross_attention', [false, undefined]],
  ['tie_word_embeddings', [true, undefined]],
];

export interface Gpt2ConfigInfo {
  options: Gpt2OptionsInput;
  /** `bos_token_id` / `eos_token_id` if present (50256 in GPT-2). */
  bosId: number | undefined;
  eosId: number | undefined;
}

function intField(cfg: Json, key: string, file: string, optional = false): number | undefined {
  const v = cfg[key];
  if (v === undefined || v === null) {
    if (optional) return undefined;
    throw new ConfigError({ op: 'read GPT-2 config', arg: `${file}: ${key}`, expected: 'present' }, 'is missing');
  }
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0))
    throw new ConfigError({
      op: 'read GPT-2 config',
      arg: `${file}: ${key}`,
      expected: 'an integer ≥ 0',
      got: brief(v),
    });
  return v;
}

/** GPT-2 HF config → backbone options (throws ConfigError naming any unsupported key). */
export function gpt2ConfigInfo(config: unknown, file = 'config.json'): Gpt2ConfigInfo {
  const op = 'read GPT-2 config';
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw new ConfigError({ op, arg: file, expected: 'a JSON object', got: brief(config) });
  const cfg = config as Json;
  if (cfg['model_type'] !== 'gpt2')
    throw new ConfigError({ op, arg: `${file}: model_type`, expected: '"gpt2"', got: brief(cfg['model_type']) });
  for (const [key, allowed] of REQUIRED) {
    if (!allowed.includes(cfg[key])) {
      const expected = allowed.map((a) => (a === undefined ? 'absent' : JSON.stringify(a))).join(' or ');
      throw new ConfigError(
        { op, arg: `${file}: ${key}`, expected },
        `value ${brief(cfg[key])} is not supported by this backbone`,
      );
    }
  }
  const eps = cfg['layer_norm_epsilon'];
  if (eps !== undefined && !(typeof eps === 'number' && eps > 0))
    throw new ConfigError({ op, arg: `${file}: layer_norm_epsilon`, expected: 'a number > 0', got: brief(eps) });
  const hidden = intField(cfg, 'n_embd', file)!;
  const options: Gpt2OptionsInput = {
    vocabSize: intField(cfg, 'vocab_size', file)!,
    hidden,
    heads: intField(cfg, 'n_head', file)!,
    layers: intField(cfg, 'n_layer', file)!,
    maxPositions: intField(cfg, 'n_positions', file)!,
    inner: intField(cfg, 'n_inner', file, true) ?? 4 * hidden, // null → 4·n_embd (GPT2MLP)
    layerNormEps: typeof eps === 'number' ? eps : 1e-5,
  };
  return {
    options,
    bosId: intField(cfg, 'bos_token_id', file, true),
    eosId: intField(cfg, 'eos_token_id', file, true),
  };
}
