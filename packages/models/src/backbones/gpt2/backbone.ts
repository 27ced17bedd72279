// The `gpt2` entry of the backbone registry: a Gpt2Model behind the Backbone interface, built from the slot's
// knobs (GPT-2's own random init) or loaded from a published checkpoint folder (`init_from`). It is causal and
// has no time conditioning (`sigma` is ignored) nor dropout; `decode` exposes its key/value cache.
import { ConfigError, tf } from '@dlm/core';
import { checkKnobsAgree, readInitConfig } from '../from-checkpoint.ts';
import type { Backbone, BackboneDef, DecodeCache } from '../backbone.ts';
import { gpt2ConfigInfo } from './config.ts';
import { Gpt2Model } from './gpt2.ts';
import { Gpt2KvCache } from './kv-cache.ts';
import type { Gpt2OptionsInput } from './options.ts';
import { GPT2_DEFAULTS, gpt2ModelSchema, type Gpt2ModelConfig } from './schema.ts';

const OP = 'gpt2 backbone';

/** Options from the knobs, or from `init_from`/config.json (knobs written there must agree). */
function optionsOf(m: Gpt2ModelConfig, vocabSize: number): Gpt2OptionsInput {
  if (m.init_from === undefined) {
    const hidden = m.n_embd ?? GPT2_DEFAULTS.n_embd;
    return {
      vocabSize,
      hidden,
      heads: m.n_head ?? GPT2_DEFAULTS.n_head,
      layers: m.n_layer ?? GPT2_DEFAULTS.n_layer,
      maxPositions: m.n_positions ?? GPT2_DEFAULTS.n_positions,
      inner: m.n_inner ?? 4 * hidden,
      layerNormEps: m.layer_norm_epsilon ?? GPT2_DEFAULTS.layer_norm_epsilon,
    };
  }
  const { json, file } = readInitConfig(OP, m.init_from);
  const o = gpt2ConfigInfo(json, file).options;
  const pairs = [
    ['n_embd', m.n_embd, o.hidden],
    ['n_layer', m.n_layer, o.layers],
    ['n_head', m.n_head, o.heads],
    ['n_positions', m.n_positions, o.maxPositions],
    ['n_inner', m.n_inner, o.inner],
    ['layer_norm_epsilon', m.layer_norm_epsilon, o.layerNormEps],
  ] as const;
  checkKnobsAgree(OP, file, pairs);
  return o;
}

export const gpt2Backbone: BackboneDef = {
  name: 'gpt2',
  schema: gpt2ModelSchema,
  // The vocabulary size does not bound the length; any placeholder will do here.
  maxLength: (config) => optionsOf(gpt2ModelSchema.parse(config), 1).maxPositions,
  testConfig: { n_embd: 16, n_layer: 1, n_head: 2, n_positions: 8 },
  incrementalDecoding: true,
  build(config, o): Backbone {
    const m = gpt2ModelSchema.parse(config);
    const options = optionsOf(m, o.vocabSize);
    let net: Gpt2Model;
    if (m.init_from !== undefined) {
      net = Gpt2Model.fromCheckpoint(m.init_from).model;
      if (net.options.vocabSize !== o.vocabSize) {
        const got = String(net.options.vocabSize);
        net.dispose();
        const expected = `vocab_size ${o.vocabSize} (the tokenizer's, specials included)`;
        throw new ConfigError({ op: OP, arg: `model.init_from ${m.init_from}`, expected, got });
      }
    } else {
      net = new Gpt2Model(options, o.rng);
    }
    const asCache = (past: DecodeCache | undefined): Gpt2KvCache | undefined => {
      if (past !== undefined && !(past instanceof Gpt2KvCache))
        throw new ConfigError({ op: OP, arg: 'past', expected: 'a cache returned by this backbone' });
      return past;
    };
    return {
      name: 'gpt2',
      params: net.params,
      maxLength: net.options.maxPositions,
      forward: (ids) => net.logits(ids),
      forwardHidden: (ids) =>
        tf.tidy(() => {
          const { hidden, past } = net.forwardHidden(ids);
          past.dispose();
          return hidden;
        }),
      outputHead: () => net.outputHead(),
      decode: (ids, d) => {
        const past = asCache(d.past);
        return net.forward(ids, {
          ...(d.attentionMask ? { attentionMask: d.attentionMask } : {}),
          ...(past ? { past } : {}),
        });
      },
      dispose: () => net.dispose(),
    };
  },
};
