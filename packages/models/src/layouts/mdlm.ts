// The `mdlm` checkpoint layout: an MDLM HF folder (config.json `model_type: "mdlm"`, MDLMConfig keys +
// model.safetensors with `backbone.<DiT name>` tensors; kuleshov-group/mdlm-owt, fixtures/checkpoints/README.md §4)
// as the slots of an MDLM experiment: family mdlm (SUBS parameterisation; time_conditioning from the config),
// the DiT backbone with `init_from: <folder>`, the log-linear schedule MDLM trains with (noise=loglinear,
// eps 1e-3), MASK = vocab_size − 1. The reference has no prompt-conditioned generate: `dlm sample` draws from it.
import { mdlmConfigInfo } from '../backbones/dit/reference-configs.ts';
import { gpt2PlusMask, type CheckpointHeader, type CheckpointLayout } from './layout.ts';

function mdlmHeader(config: Record<string, unknown>, file: string): CheckpointHeader & { timeConditioning: boolean } {
  const info = mdlmConfigInfo(config, file);
  const len = config['model_length'];
  return {
    vocabSize: info.options.vocabSize,
    maxLength: typeof len === 'number' && Number.isInteger(len) && len > 0 ? len : Infinity,
    maskId: info.maskId,
    timeConditioning: info.options.timeConditioning === true,
  };
}

export const mdlmLayout: CheckpointLayout = {
  name: 'mdlm',
  describe: 'MDLM (config model_type "mdlm", HF MDLM with backbone.<DiT>): masked diffusion, SUBS, no prompt generate',
  tokenizer: gpt2PlusMask,
  header: (config, file) => {
    const { timeConditioning: _, ...h } = mdlmHeader(config, file);
    return h;
  },
  experiment(dir, config, file) {
    const h = mdlmHeader(config, file);
    return {
      family: { name: 'mdlm', time_conditioning: h.timeConditioning },
      model: { name: 'dit', init_from: dir },
      noise: { name: 'loglinear' }, // MDLM noise=loglinear (LogLinearNoise, eps 1e-3)
      vocab: { size: h.vocabSize, maskId: h.maskId },
    };
  },
};
