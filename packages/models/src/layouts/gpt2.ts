// The `gpt2` checkpoint layout: a GPT-2 folder in the published layout (config.json `model_type: "gpt2"` +
// model.safetensors, fixtures/checkpoints/README.md §8) decoding left to right with its KV cache: the prompt
// in one forward, then one new token per forward (HF GPT2LMHeadModel.generate with past_key_values; left
// padding masked, position ids counting real tokens only). Tokens are drawn by arGenerate (float64
// categorical with temperature / top-k / top-p; temperature 0 = greedy).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '@dlm/core';
import { Gpt2Model } from '../backbones/gpt2/gpt2.ts';
import { gpt2ConfigInfo } from '../backbones/gpt2/config.ts';
import type { Gpt2KvCache } from '../backbones/gpt2/kv-cache.ts';
import { arGenerate, checkArKnobs, type NextTokenLogits } from './ar-decode.ts';
import { AR_GENERATE_FLAGS, type CheckpointHeader, type CheckpointLayout, type OpenedCheckpoint } from './layout.ts';

const OP = 'dlm generate (gpt2)';

function gpt2Header(config: Record<string, unknown>, file: string): CheckpointHeader {
  const info = gpt2ConfigInfo(config, file);
  // GPT-2 has no pad token: padding uses EOS (<|endoftext|>, 50256), as HF's generate does; the mask hides it.
  return {
    vocabSize: info.options.vocabSize,
    maxLength: info.options.maxPositions,
    eosId: info.eosId,
    bosId: info.bosId,
    padId: info.eosId,
    maskId: undefined,
  };
}

/**
 * Next-token logits with the model's KV cache: step 0 runs the whole left-padded prompt [B, P] with its mask;
 * step t > 0 runs only the newest token [B, 1] with the mask of all P + t positions. `cache.past` is the
 * cache after the latest call (the caller disposes it).
 */
export function gpt2NextTokenLogits(model: Gpt2Model, cache: { past?: Gpt2KvCache | undefined }): NextTokenLogits {
  return (ids, attention, step) => {
    const [b, n] = ids.shape as [number, number];
    const V = model.options.vocabSize;
    // Not one tidy: the returned cache must outlive this call.
    const all = tf.tensor2d(ids.data, [b, n], 'int32');
    const input = step === 0 ? all : tf.slice(all, [0, n - 1], [b, 1]); // [B, n] or [B, 1]
    const mask = tf.tensor2d(attention.data, [b, n], 'int32');
    let out;
    try {
      out = model.forward(input, { attentionMask: mask, ...(cache.past ? { past: cache.past } : {}) });
    } finally {
      tf.dispose([all, input, mask]);
    }
    const { past } = out;
    const l = input.shape[1]!;
    const logits = tf.tidy(() => tf.reshape(tf.slice(out.logits, [0, l - 1, 0], [b, 1, V]), [b, V])); // [B, V]
    out.logits.dispose();
    cache.past?.dispose();
    cache.past = past;
    try {
      return Float32Array.from(logits.dataSync() as Float32Array); // [B, V]
    } finally {
      logits.dispose();
    }
  };
}

export const gpt2Layout: CheckpointLayout = {
  name: 'gpt2',
  describe: 'GPT-2 (config model_type "gpt2", GPT2LMHeadModel): autoregressive, KV cache, GPT-2 BPE',
  tokenizer: 'gpt2',
  header: gpt2Header,
  experiment(dir, config, file) {
    const h = gpt2Header(config, file);
    return {
      family: { name: 'ar' },
      model: { name: 'gpt2', init_from: dir },
      noise: { name: 'loglinear' }, // not read by the AR family
      vocab: { size: h.vocabSize, bosId: h.bosId, eosId: h.eosId, padId: h.padId },
    };
  },
  generation: {
    flags: AR_GENERATE_FLAGS,
    checkKnobs: (k) => checkArKnobs(OP, k),
    open(dir: string): OpenedCheckpoint {
      const file = join(dir, 'config.json');
      const header = gpt2Header(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>, file);
      const { model } = Gpt2Model.fromCheckpoint(dir);
      return {
        layout: 'gpt2',
        ...header,
        generate(req) {
          const cache: { past?: Gpt2KvCache | undefined } = {};
          try {
            return arGenerate(gpt2NextTokenLogits(model, cache), req, header.vocabSize);
          } finally {
            cache.past?.dispose();
          }
        },
        dispose: () => model.dispose(),
      };
    },
  },
};
