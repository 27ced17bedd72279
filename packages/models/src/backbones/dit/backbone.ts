// The `dit` entry of the backbone registry: the DiT slot's knobs → a Dit behind the Backbone
// interface (dropout rate and maximum length come from the slot, not from the family).
import type { Rng } from '@dlm/core';
import type { Backbone, BackboneDef } from '../backbone.ts';
import { Dit } from './dit.ts';
import { ditModelSchema } from './schema.ts';

export const ditBackbone: BackboneDef = {
  name: 'dit',
  schema: ditModelSchema,
  maxLength: (config) => ditModelSchema.parse(config).length,
  testConfig: { hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: 8, dropout: 0, init: 'random' },
  build(config, o): Backbone {
    const m = ditModelSchema.parse(config);
    const dit = new Dit(
      {
        vocabSize: o.vocabSize,
        hidden: m.hidden_size,
        heads: m.n_heads,
        blocks: m.n_blocks,
        condDim: m.cond_dim,
        timeConditioning: o.timeConditioning,
        maxLength: m.length,
      },
      o.rng,
      m.init,
    );
    const dropout = (train?: { rng: Rng }) =>
      train && m.dropout > 0 ? { dropout: m.dropout, seed: train.rng.split('dropout').nextUint32() } : undefined;
    return {
      name: 'dit',
      params: dit.params,
      maxLength: m.length,
      forward: (ids, sigma, train) => dit.forward(ids, sigma, dropout(train)),
      forwardHidden: (ids, sigma, train) => dit.forwardHidden(ids, sigma, dropout(train)),
      outputHead: () => dit.outputHead(),
      dispose: () => dit.dispose(),
    };
  },
};
