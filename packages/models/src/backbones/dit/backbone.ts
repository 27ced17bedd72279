// The `dit` entry of the backbone registry: the DiT slot's knobs → a Dit behind the Backbone
// interface (dropout rate and maximum length come from the slot, not from the family), randomly
// initialised or loaded from a SEDD / MDLM checkpoint folder (`init_from`, routed by the config's content).
import { ConfigError, type Rng } from '@dlm/core';
import type { Backbone, BackboneDef } from '../backbone.ts';
import { checkKnobsAgree, readInitConfig } from '../from-checkpoint.ts';
import { Dit } from './dit.ts';
import type { DitOptionsInput } from './options.ts';
import { ditCheckpointInfo, loadReferenceDit } from './reference-configs.ts';
import { DIT_SMALL, ditModelSchema, type DitModelConfig } from './schema.ts';

const OP = 'dit backbone';

interface Resolved {
  options: Omit<DitOptionsInput, 'vocabSize' | 'timeConditioning'>;
  length: number;
  dropout: number;
  /** The checkpoint's own time conditioning (MDLM time_conditioning; SEDD always), with init_from. */
  timeConditioning?: boolean | undefined;
}

/** The knobs (MDLM small's values where absent), or `init_from`'s config.json (knobs written there must agree). */
function resolve(m: DitModelConfig): Resolved {
  if (m.init_from === undefined) {
    return {
      options: {
        hidden: m.hidden_size ?? DIT_SMALL.hidden_size,
        heads: m.n_heads ?? DIT_SMALL.n_heads,
        blocks: m.n_blocks ?? DIT_SMALL.n_blocks,
        condDim: m.cond_dim ?? DIT_SMALL.cond_dim,
      },
      length: m.length ?? DIT_SMALL.length,
      dropout: m.dropout ?? DIT_SMALL.dropout,
    };
  }
  const { json, file } = readInitConfig(OP, m.init_from);
  const info = ditCheckpointInfo(json, file);
  const { vocabSize: _, timeConditioning, ...o } = info.options;
  // A published MDLM config names no length limit beyond model_length; rotary positions accept any length, so an
  // absent length falls back to MDLM small's.
  const length = info.length ?? DIT_SMALL.length;
  const dropout = info.dropout ?? DIT_SMALL.dropout;
  checkKnobsAgree(OP, file, [
    ['hidden_size', m.hidden_size, o.hidden],
    ['n_heads', m.n_heads, o.heads],
    ['n_blocks', m.n_blocks, o.blocks],
    ['cond_dim', m.cond_dim, o.condDim],
    ['length', m.length, length],
    ['dropout', m.dropout, dropout],
  ]);
  if (m.init !== undefined) {
    const expected = 'absent with model.init_from (the checkpoint gives every value)';
    throw new ConfigError({ op: OP, arg: 'model.init', expected, got: m.init });
  }
  return { options: o, length, dropout, timeConditioning: info.kind === 'sedd' ? true : timeConditioning };
}

export const ditBackbone: BackboneDef = {
  name: 'dit',
  schema: ditModelSchema,
  maxLength: (config) => resolve(ditModelSchema.parse(config)).length,
  testConfig: { hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: 8, dropout: 0, init: 'random' },
  build(config, o): Backbone {
    const m = ditModelSchema.parse(config);
    const r = resolve(m);
    let dit: Dit;
    if (m.init_from !== undefined) {
      if (r.timeConditioning !== o.timeConditioning) {
        const expected = `timeConditioning ${String(r.timeConditioning)} (as the checkpoint's config)`;
        throw new ConfigError({
          op: OP,
          arg: `model.init_from ${m.init_from}`,
          expected,
          got: String(o.timeConditioning),
        });
      }
      dit = loadReferenceDit(m.init_from).model;
      if (dit.options.vocabSize !== o.vocabSize) {
        const got = `${dit.options.vocabSize} embedding rows`;
        dit.dispose();
        const expected = `${o.vocabSize} embedding rows (the vocabulary, specials included)`;
        throw new ConfigError({ op: OP, arg: `model.init_from ${m.init_from}`, expected, got });
      }
    } else {
      const opts = { vocabSize: o.vocabSize, ...r.options, timeConditioning: o.timeConditioning, maxLength: r.length };
      dit = new Dit(opts, o.rng, m.init ?? DIT_SMALL.init);
    }
    const dropout = (train?: { rng: Rng }) =>
      train && r.dropout > 0 ? { dropout: r.dropout, seed: train.rng.split('dropout').nextUint32() } : undefined;
    return {
      name: 'dit',
      params: dit.params,
      maxLength: r.length,
      forward: (ids, sigma, train) => dit.forward(ids, sigma, dropout(train)),
      forwardHidden: (ids, sigma, train) => dit.forwardHidden(ids, sigma, dropout(train)),
      outputHead: () => dit.outputHead(),
      dispose: () => dit.dispose(),
    };
  },
};
