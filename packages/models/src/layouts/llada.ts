// The `llada` checkpoint layout: a LLaDA HF folder (config.json with `model_type: "llada"` +
// model.safetensors, fixtures/checkpoints/README.md §5) generating through @dlm/samplers'
// llada.generate (ML-GSAI/LLaDA generate.py @b7e6c356, README §7.3), or Fast-dLLM's cached / parallel generation
// with this backbone's KV cache (families/llada/generation.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, brief, type Nd } from '@dlm/core';
import { llada } from '@dlm/samplers';
import { LladaModel } from '../backbones/llada/llada.ts';
import { lladaConfigInfo } from '../backbones/llada/config.ts';
import { lladaMaskPredictor } from '../backbones/llada/mask-predictor.ts';
import { lladaKvModel } from '../backbones/llada/kv-session.ts';
import { checkFastDllmKnobs, lladaGenerate } from '../families/llada/generation.ts';
import {
  LLADA_GENERATE_FLAGS,
  checkBlockKnobs,
  type CheckpointHeader,
  type CheckpointLayout,
  type GenerateKnobs,
  type OpenedCheckpoint,
} from './layout.ts';

const OP = 'dlm generate (llada)';

function optionalId(cfg: Record<string, unknown>, key: string, file: string): number | undefined {
  const v = cfg[key];
  if (v === undefined || v === null) return undefined;
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
    throw new ConfigError({ op: OP, arg: `${file}: ${key}`, expected: 'an integer id ≥ 0 or null', got: brief(v) });
  }
  return v;
}

function lladaHeader(config: Record<string, unknown>, file: string): CheckpointHeader {
  const info = lladaConfigInfo(config, file);
  const vocabSize = info.options.vocabSize;
  // LLaDA's generate fills the generated positions with the mask id: a vocabulary without one cannot generate.
  if (info.maskId === undefined) {
    throw new ConfigError(
      { op: OP, arg: `${file}: mask_token_id`, expected: 'the mask id of the vocabulary (LLaDA-8B: 126336)' },
      'is missing',
    );
  }
  if (info.maskId >= vocabSize) {
    const arg = `${file}: mask_token_id`;
    throw new ConfigError({ op: OP, arg, expected: `an id < ${vocabSize}`, got: brief(info.maskId) });
  }
  const maxLength = optionalId(config, 'max_sequence_length', file) ?? Infinity;
  const eosId = optionalId(config, 'eos_token_id', file);
  return { vocabSize, maxLength, eosId, padId: info.padId ?? eosId, bosId: undefined, maskId: info.maskId };
}

/** LLaDA's knob rules (README §7.2) with its sampler's remasking names, and Fast-dLLM's; `op` names the caller. */
export function checkLladaKnobs(k: GenerateKnobs, op = OP): void {
  checkBlockKnobs(op, k, llada.remaskings.names());
  checkFastDllmKnobs(k, op);
}

export const lladaLayout: CheckpointLayout = {
  name: 'llada',
  describe: 'LLaDA (config model_type "llada", LLaDAModelLM): masked diffusion, semi-autoregressive blocks',
  header: lladaHeader,
  experiment(dir, config, file) {
    const h = lladaHeader(config, file);
    return {
      family: { name: 'llada' },
      model: { name: 'llada', init_from: dir },
      noise: { name: 'loglinear' }, // not read: LLaDA's p_mask is linear in t
      vocab: { size: h.vocabSize, maskId: h.maskId, eosId: h.eosId, padId: h.padId, bosId: h.bosId },
    };
  },
  generation: {
    flags: LLADA_GENERATE_FLAGS,
    checkKnobs: (k) => checkLladaKnobs(k),
    open(dir: string): OpenedCheckpoint {
      const file = join(dir, 'config.json');
      const header = lladaHeader(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>, file);
      const { model } = LladaModel.fromCheckpoint(dir);
      const predict = lladaMaskPredictor(model);
      return {
        layout: 'llada',
        ...header,
        generate(req) {
          const [b, p] = req.prompt.shape as [number, number];
          const m = { predict, kv: () => lladaKvModel(model), who: 'the llada layout' };
          const r = lladaGenerate(m, req, { maskId: header.maskId!, vocabSize: header.vocabSize }, OP);
          // [B, P + G] → the generated positions [B, G]
          const L = p + req.genLength;
          const ids = new Int32Array(b * req.genLength);
          for (let i = 0; i < b; i++) ids.set(r.x.data.subarray(i * L + p, (i + 1) * L), i * req.genLength);
          const out: Nd<Int32Array> = { data: ids, shape: [b, req.genLength] };
          return { ids: out, nfe: r.nfe };
        },
        dispose: () => model.dispose(),
      };
    },
  },
};
