import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dlm/core';
import { lladaConfigInfo } from './config.ts';
import { resolveLladaOptions } from './options.ts';

// The published 8B structure (README §5) with small sizes.
const base = (): Record<string, unknown> => ({
  model_type: 'llada',
  block_type: 'llama',
  layer_norm_type: 'rms',
  activation_type: 'silu',
  rope: true,
  rope_theta: 500000.0,
  rope_full_precision: true,
  alibi: false,
  include_bias: false,
  include_qkv_bias: false,
  bias_for_layer_norm: false,
  layer_norm_with_affine: true,
  weight_tying: false,
  scale_logits: false,
  input_emb_norm: false,
  attention_layer_norm: false,
  multi_query_attention: null,
  d_model: 48,
  n_heads: 6,
  n_kv_heads: 6,
  n_layers: 3,
  mlp_hidden_size: 144,
  mlp_ratio: 4,
  vocab_size: 30,
  embedding_size: 32,
  rms_norm_eps: 1e-6,
  mask_token_id: 29,
  pad_token_id: 28,
  attention_dropout: 0.1,
  unknown_future_key: 'ignored',
});

const configError = (f: () => unknown, key: string) => {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toContain(key);
};

describe('lladaConfigInfo', () => {
  it('reads sizes, eps, theta and token ids; embedding_size is the logits width', () => {
    const info = lladaConfigInfo(base());
    expect(info.options).toEqual({
      vocabSize: 32,
      hidden: 48,
      heads: 6,
      kvHeads: 6,
      layers: 3,
      mlpHidden: 144,
      rmsNormEps: 1e-6,
      ropeTheta: 500000,
    });
    expect(info.maskId).toBe(29);
    expect(info.padId).toBe(28);
  });

  it('derives defaults as LLaDA ModelConfig: embedding_size → vocab_size, mlp_hidden_size → mlp_ratio·d_model, n_kv_heads → n_heads', () => {
    const c = base();
    c.embedding_size = null;
    c.mlp_hidden_size = null;
    c.mlp_ratio = 3;
    delete c.n_kv_heads;
    const o = lladaConfigInfo(c).options;
    expect([o.vocabSize, o.mlpHidden, o.kvHeads]).toEqual([30, 144, 6]);
  });

  it('grouped KV heads: n_kv_heads, or multi_query_attention → 1; a disagreement is named', () => {
    expect(lladaConfigInfo({ ...base(), n_kv_heads: 2 }).options.kvHeads).toBe(2);
    const mqa = base();
    delete mqa.n_kv_heads;
    mqa.multi_query_attention = true;
    expect(lladaConfigInfo(mqa).options.kvHeads).toBe(1);
    configError(() => lladaConfigInfo({ ...base(), n_kv_heads: 2, multi_query_attention: true }), 'n_kv_heads');
    configError(() => resolveLladaOptions(lladaConfigInfo({ ...base(), n_kv_heads: 4 }).options), 'kvHeads');
  });

  const unsupported: Array<[string, unknown]> = [
    ['alibi', true],
    ['include_bias', true],
    ['include_qkv_bias', true],
    ['bias_for_layer_norm', true],
    ['layer_norm_with_affine', false],
    ['weight_tying', true],
    ['scale_logits', true],
    ['input_emb_norm', true],
    ['attention_layer_norm', true],
    ['block_type', 'sequential'],
    ['layer_norm_type', 'default'],
    ['activation_type', 'swiglu'],
    ['rope', false],
    ['clip_qkv', 8],
  ];
  for (const [key, value] of unsupported) {
    it(`rejects ${key} = ${JSON.stringify(value)} with a ConfigError naming the key`, () => {
      configError(() => lladaConfigInfo({ ...base(), [key]: value }), key);
    });
  }

  it('rejects a non-LLaDA config, missing sizes and embedding_size < vocab_size', () => {
    configError(() => lladaConfigInfo({ ...base(), model_type: 'mdlm' }), 'model_type');
    const c = base();
    delete c.d_model;
    configError(() => lladaConfigInfo(c), 'd_model');
    configError(() => lladaConfigInfo({ ...base(), embedding_size: 20 }), 'embedding_size');
    configError(() => lladaConfigInfo({ ...base(), rms_norm_eps: -1 }), 'rms_norm_eps');
  });
});

describe('resolveLladaOptions', () => {
  it('fills kvHeads = heads and the published eps/theta; rejects odd head dims and unknown keys', () => {
    expect(resolveLladaOptions({ vocabSize: 8, hidden: 16, heads: 2, layers: 1, mlpHidden: 32 })).toEqual({
      vocabSize: 8,
      hidden: 16,
      heads: 2,
      kvHeads: 2,
      layers: 1,
      mlpHidden: 32,
      rmsNormEps: 1e-5,
      ropeTheta: 500000,
    });
    // hd 9
    configError(() => resolveLladaOptions({ vocabSize: 8, hidden: 18, heads: 2, layers: 1, mlpHidden: 32 }), 'heads');
    configError(() => resolveLladaOptions({ vocabSize: 8, hidden: 16, heads: 3, layers: 1, mlpHidden: 32 }), 'heads');
    configError(
      () => resolveLladaOptions({ vocabSize: 8, hidden: 16, heads: 2, layers: 1, mlpHidden: 32, bias: true } as never),
      'bias',
    );
  });
});
