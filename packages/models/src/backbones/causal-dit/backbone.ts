// The `causal-dit` entry of the backbone registry: MDLM's AR baseline network behind the Backbone interface.
// It has no time conditioning, so `sigma` is ignored, and no key/value cache (decoding recomputes the prefix).
import type { Rng } from '@dlm/core';
import type { Backbone, BackboneDef } from '../backbone.ts';
import { CausalDit } from './causal-dit.ts';
import { causalDitModelSchema } from './schema.ts';

export const causalDitBackbone: BackboneDef = {
  name: 'causal-dit',
  schema: causalDitModelSchema,
  maxLength: (config) => causalDitModelSchema.parse(config).length,
  testConfig: { hidden_size: 16, n_heads: 2, n_blocks: 1, length: 4, dropout: 0, init: 'random' },
  build(config, o): Backbone {
    const m = causalDitModelSchema.parse(config);
    const net = new CausalDit(
      { vocabSize: o.vocabSize, hidden: m.hidden_size, heads: m.n_heads, blocks: m.n_blocks, maxLength: m.length },
      o.rng,
      m.init,
    );
    const dropout = (train?: { rng: Rng }) =>
      train && m.dropout > 0 ? { dropout: m.dropout, seed: train.rng.split('dropout').nextUint32() } : undefined;
    return {
      name: 'causal-dit',
      params: net.params,
      maxLength: m.length,
      forward: (ids, _sigma, train) => net.forward(ids, dropout(train)),
      forwardHidden: (ids, _sigma, train) => net.forwardHidden(ids, dropout(train)),
      outputHead: () => net.outputHead(),
      dispose: () => net.dispose(),
    };
  },
};
