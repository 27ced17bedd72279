// The `llada` entry of the backbone registry: the LLaDA slot's knobs → a LladaModel behind the
// Backbone interface. LLaDA's mask predictor sees no time (LLaDA modeling_llada.py forward takes
// input_ids only) and has no dropout in this backbone, so σ is not used and time conditioning is
// refused.
import { ConfigError } from '@dlm/core';
import type { Backbone, BackboneDef } from '../backbone.ts';
import { LladaModel } from './llada.ts';
import { lladaModelSchema } from './schema.ts';

export const lladaBackbone: BackboneDef = {
  name: 'llada',
  schema: lladaModelSchema,
  maxLength: (config) => lladaModelSchema.parse(config).max_sequence_length,
  testConfig: { d_model: 16, n_heads: 2, n_layers: 1, mlp_hidden_size: 32, max_sequence_length: 8 },
  build(config, o): Backbone {
    const m = lladaModelSchema.parse(config);
    if (o.timeConditioning) {
      const expected = 'false (LLaDA sees no time)';
      throw new ConfigError({ op: 'llada backbone', arg: 'timeConditioning', expected, got: 'true' });
    }
    const model = new LladaModel(
      {
        vocabSize: o.vocabSize,
        hidden: m.d_model,
        heads: m.n_heads,
        kvHeads: m.n_kv_heads ?? m.n_heads,
        layers: m.n_layers,
        mlpHidden: m.mlp_hidden_size,
        rmsNormEps: m.rms_norm_eps,
        ropeTheta: m.rope_theta,
      },
      o.rng,
      m.init_std,
    );
    return {
      name: 'llada',
      params: model.params,
      maxLength: m.max_sequence_length,
      forward: (ids) => model.forward(ids),
      forwardWithAttention: (ids, attentionMask) => model.forward(ids, { attentionMask }),
      dispose: () => model.dispose(),
    };
  },
};
