// The `llada` entry of the backbone registry: the LLaDA slot's knobs → a LladaModel behind the
// Backbone interface, randomly initialised or loaded from a published checkpoint folder
// (`init_from`). LLaDA's mask predictor sees no time (LLaDA modeling_llada.py forward takes
// input_ids only) and has no dropout in this backbone, so σ is not used and time conditioning is
// refused.
import { ConfigError } from '@dlm/core';
import { checkKnobsAgree, readInitConfig } from '../from-checkpoint.ts';
import type { Backbone, BackboneDef } from '../backbone.ts';
import { lladaConfigInfo } from './config.ts';
import { lladaKvModel } from './kv-session.ts';
import { LladaModel } from './llada.ts';
import type { LladaOptionsInput } from './options.ts';
import { LLADA_8B, lladaModelSchema, type LladaModelConfig } from './schema.ts';

const OP = 'llada backbone';

interface Resolved {
  options: Omit<LladaOptionsInput, 'vocabSize'>;
  maxLength: number;
}

/** The knobs (LLaDA-8B's values where absent), or `init_from`'s config.json (knobs written there must agree). */
function resolve(m: LladaModelConfig): Resolved {
  if (m.init_from === undefined) {
    const heads = m.n_heads ?? LLADA_8B.n_heads;
    return {
      options: {
        hidden: m.d_model ?? LLADA_8B.d_model,
        heads,
        kvHeads: m.n_kv_heads ?? heads,
        layers: m.n_layers ?? LLADA_8B.n_layers,
        mlpHidden: m.mlp_hidden_size ?? LLADA_8B.mlp_hidden_size,
        rmsNormEps: m.rms_norm_eps ?? LLADA_8B.rms_norm_eps,
        ropeTheta: m.rope_theta ?? LLADA_8B.rope_theta,
      },
      maxLength: m.max_sequence_length ?? LLADA_8B.max_sequence_length,
    };
  }
  const { json, file } = readInitConfig(OP, m.init_from);
  const { vocabSize: _, ...o } = lladaConfigInfo(json, file).options;
  const max = json['max_sequence_length'];
  const maxLength = typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : LLADA_8B.max_sequence_length;
  const pairs = [
    ['d_model', m.d_model, o.hidden],
    ['n_heads', m.n_heads, o.heads],
    ['n_kv_heads', m.n_kv_heads, o.kvHeads ?? o.heads],
    ['n_layers', m.n_layers, o.layers],
    ['mlp_hidden_size', m.mlp_hidden_size, o.mlpHidden],
    ['rms_norm_eps', m.rms_norm_eps, o.rmsNormEps],
    ['rope_theta', m.rope_theta, o.ropeTheta],
    ['max_sequence_length', m.max_sequence_length, maxLength],
  ] as const;
  checkKnobsAgree(OP, file, pairs);
  return { options: o, maxLength };
}

export const lladaBackbone: BackboneDef = {
  name: 'llada',
  schema: lladaModelSchema,
  maxLength: (config) => resolve(lladaModelSchema.parse(config)).maxLength,
  testConfig: { d_model: 16, n_heads: 2, n_layers: 1, mlp_hidden_size: 32, max_sequence_length: 8 },
  build(config, o): Backbone {
    const m = lladaModelSchema.parse(config);
    if (o.timeConditioning) {
      const expected = 'false (LLaDA sees no time)';
      throw new ConfigError({ op: OP, arg: 'timeConditioning', expected, got: 'true' });
    }
    const r = resolve(m);
    let model: LladaModel;
    if (m.init_from !== undefined) {
      model = LladaModel.fromCheckpoint(m.init_from).model;
      if (model.options.vocabSize !== o.vocabSize) {
        const got = `embedding_size ${model.options.vocabSize}`;
        model.dispose();
        const expected = `embedding_size ${o.vocabSize} (the tokenizer's vocabulary, specials included)`;
        throw new ConfigError({ op: OP, arg: `model.init_from ${m.init_from}`, expected, got });
      }
    } else {
      model = new LladaModel({ vocabSize: o.vocabSize, ...r.options }, o.rng, m.init_std ?? LLADA_8B.init_std);
    }
    return {
      name: 'llada',
      params: model.params,
      maxLength: r.maxLength,
      forward: (ids) => model.forward(ids),
      forwardWithAttention: (ids, attentionMask) => model.forward(ids, { attentionMask }),
      bidirectionalKv: () => lladaKvModel(model),
      dispose: () => model.dispose(),
    };
  },
};
