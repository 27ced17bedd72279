import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dlm/core';
import { gpt2ConfigInfo } from './config.ts';
import { resolveGpt2Options } from './options.ts';

/** The published gpt2/config.json key set with GPT-2 small's sizes. */
const published = {
  activation_function: 'gelu_new',
  architectures: ['GPT2LMHeadModel'],
  attn_pdrop: 0.1,
  bos_token_id: 50256,
  embd_pdrop: 0.1,
  eos_token_id: 50256,
  initializer_range: 0.02,
  layer_norm_epsilon: 1e-5,
  model_type: 'gpt2',
  n_ctx: 1024,
  n_embd: 768,
  n_head: 12,
  n_layer: 12,
  n_positions: 1024,
  resid_pdrop: 0.1,
  summary_activation: null,
  summary_first_dropout: 0.1,
  summary_proj_to_labels: true,
  summary_type: 'cls_index',
  summary_use_proj: true,
  task_specific_params: { 'text-generation': { do_sample: true, max_length: 50 } },
  vocab_size: 50257,
};

describe('gpt2ConfigInfo', () => {
  it('reads the published key set (n_inner absent → 4·n_embd)', () => {
    const info = gpt2ConfigInfo(published);
    expect(info.options).toEqual({
      vocabSize: 50257,
      hidden: 768,
      heads: 12,
      layers: 12,
      maxPositions: 1024,
      inner: 3072,
      layerNormEps: 1e-5,
    });
    expect([info.bosId, info.eosId]).toEqual([50256, 50256]);
    expect(gpt2ConfigInfo({ ...published, n_inner: null }).options.inner).toBe(3072);
    expect(gpt2ConfigInfo({ ...published, n_inner: 100, layer_norm_epsilon: 1e-6 }).options).toMatchObject({
      inner: 100,
      layerNormEps: 1e-6,
    });
  });

  it('rejects configs the forward does not implement, naming the key', () => {
    expect(() => gpt2ConfigInfo({ ...published, model_type: 'llada' })).toThrow(/model_type, expected "gpt2"/);
    expect(() => gpt2ConfigInfo({ ...published, activation_function: 'relu' })).toThrow(
      /activation_function.*"gelu_new"/,
    );
    expect(() => gpt2ConfigInfo({ ...published, scale_attn_by_inverse_layer_idx: true })).toThrow(
      /scale_attn_by_inverse_layer_idx/,
    );
    expect(() => gpt2ConfigInfo({ ...published, add_cross_attention: true })).toThrow(ConfigError);
    const { n_embd: _, ...missing } = published;
    expect(() => gpt2ConfigInfo(missing, 'x/config.json')).toThrow(/x\/config.json: n_embd.*missing/);
    expect(() => gpt2ConfigInfo({ ...published, n_head: 1.5 })).toThrow(/n_head, expected an integer/);
    expect(() => gpt2ConfigInfo([])).toThrow(/a JSON object/);
  });

  it('resolveGpt2Options validates and names unknown options', () => {
    expect(() => resolveGpt2Options({ vocabSize: 10, hidden: 16, heads: 3, layers: 1, maxPositions: 8 })).toThrow(
      /heads, expected a divisor of hidden/,
    );
    expect(() => resolveGpt2Options({ vocabSize: 10, hidden: 16, heads: 2, layers: 0, maxPositions: 8 })).toThrow(
      /layers/,
    );
    expect(() =>
      resolveGpt2Options({ vocabSize: 10, hidden: 16, heads: 2, layers: 1, maxPositions: 8, rotary: true } as never),
    ).toThrow(/rotary.*is not an option/);
  });
});
