// The `sedd` checkpoint layout: a SEDD folder (config.json = the hydra config, no model_type: `tokens`, `graph`,
// `noise`, `model`; louaaron/sedd-small, fixtures/checkpoints/README.md §3) as the slots of a SEDD experiment:
// family sedd with the config's graph (absorb | uniform), model.scale_by_sigma and sampling.noise_removal, the DiT
// backbone with `init_from: <folder>`, and the config's noise section mapped to dlm's schedule registry
// (noise.type loglinear → `loglinear` (SEDD's LogLinearNoise takes no config value: eps 1e-3); geometric →
// `geometric` with sigma_min / sigma_max; SEDD noise_lib.py:get_noise @0605786d). MASK (absorb) = tokens, the
// last id. The reference has no prompt-conditioned generate: `dlm sample` draws from it.
import { ConfigError, brief } from '@dlm/core';
import { seddConfigInfo } from '../backbones/dit/reference-configs.ts';
import { gpt2PlusMask, type CheckpointHeader, type CheckpointLayout, type FolderExperiment } from './layout.ts';

const OP = 'sedd layout';

/** SEDD noise.type → dlm schedule names (with the knobs each reads from the config). */
const NOISE_TYPES = ['loglinear', 'geometric'] as const;

function section(config: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = config[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function seddNoise(config: Record<string, unknown>, file: string): FolderExperiment['noise'] {
  const noise = section(config, 'noise');
  const type = noise['type'];
  if (type === 'loglinear') return { name: 'loglinear' };
  if (type === 'geometric') {
    const knobs: Record<string, unknown> = {};
    for (const k of ['sigma_min', 'sigma_max']) if (noise[k] !== undefined) knobs[k] = noise[k];
    return { name: 'geometric', ...knobs };
  }
  const expected = `one of ${NOISE_TYPES.join(', ')} (SEDD noise_lib.get_noise)`;
  throw new ConfigError({ op: OP, arg: `${file}: noise.type`, expected, got: brief(type) });
}

function seddHeader(config: Record<string, unknown>, file: string): CheckpointHeader {
  const info = seddConfigInfo(config, file);
  const len = section(config, 'model')['length'];
  return {
    vocabSize: info.options.vocabSize,
    maxLength: typeof len === 'number' && Number.isInteger(len) && len > 0 ? len : Infinity,
    maskId: info.maskId,
  };
}

export const seddLayout: CheckpointLayout = {
  name: 'sedd',
  describe: "SEDD (SEDD's hydra config: tokens, graph, noise, model): score entropy, absorb or uniform graph",
  tokenizer: gpt2PlusMask,
  header: seddHeader,
  experiment(dir, config, file) {
    const info = seddConfigInfo(config, file);
    const h = seddHeader(config, file);
    const sampling = section(config, 'sampling');
    const removal = sampling['noise_removal'];
    const predictor = typeof sampling['predictor'] === 'string' ? sampling['predictor'] : undefined;
    const steps = sampling['steps'];
    return {
      family: {
        name: 'sedd',
        graph: info.graph,
        scale_by_sigma: info.scaleBySigma,
        ...(typeof removal === 'boolean' ? { noise_removal: removal } : {}),
      },
      model: { name: 'dit', init_from: dir },
      noise: seddNoise(config, file),
      vocab: { size: h.vocabSize, maskId: h.maskId },
      sampling: {
        predictor,
        steps: typeof steps === 'number' && Number.isInteger(steps) && steps > 0 ? steps : undefined,
      },
    };
  },
};
