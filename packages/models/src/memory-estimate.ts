// Peak memory of one training step, estimated before training so that a configuration that cannot
// fit fails at once with a named error instead of a wasm abort minutes later. All float32:
//   parameters × 6   weight, gradient, AdamW m and v, EMA copy, the update's transient
//   activations      B·L·blocks·(ACT_PER_D·D + ACT_PER_HEAD·H·L) floats (the tensors a DiT block
//                    keeps for its backward pass, attention probabilities included), ×2 for the
//                    backward's transient gradients
//   vocabulary       rows·V·copies: the [B·L, V] logits and the tensors derived from them (SUBS log-
//                    softmax, masks, one-hots and their gradients; VOCAB_COPIES_FULL), or one
//                    [chunk, V] block of the chunked loss (VOCAB_COPIES_CHUNKED), plus the [V, D]
//                    gradients of the embedding and the output head
// The constants are calibrated on the wasm backend with the GPT-2-vocabulary quickstart (MDLM DiT 128 × 2,
// batch 32 × length 32, V = 50260), peak tf.memory().numBytes of 10 steps: 4741 MiB with the [B, L, V]
// logits (the wasm heap hit its 4 GiB maximum and aborted at step 5; estimate 4.7 GiB), 700 MiB chunked
// (estimate 0.68 GiB). Meant to be within ~30%: enough to tell 1 GiB from 6 GiB.
import { ConfigError, defaultChunkRows } from '@dlm/core';
import { CHUNKED_LOSS_MIN_LOGITS } from './families/mdlm/mdlm.ts';

export const ACT_PER_D = 40;
export const ACT_PER_HEAD = 4;
export const VOCAB_COPIES_FULL = 22;
export const VOCAB_COPIES_CHUNKED = 8;

/**
 * The most a tfjs-backend-wasm 4.22 module can allocate: both builds grow their heap up to
 * getHeapMax() = 4294901760 bytes (4 GiB − 64 KiB; the threaded build's WebAssembly.Memory maximum
 * is 4 GiB). Memory64 is not used, so no configuration can go past it.
 */
export const WASM_HEAP_MAX_BYTES = 4294901760;

export interface StepMemoryInput {
  /** Trainable scalars. */
  params: number;
  batch: number;
  length: number;
  vocab: number;
  hidden: number;
  blocks: number;
  heads: number;
  /** True when the loss projects onto the vocabulary in chunks of rows (MDLM with T = 0). */
  chunkedLoss: boolean;
}

export interface StepMemoryEstimate {
  total: number;
  parts: { params: number; activations: number; vocabulary: number };
}

export function estimateStepMemory(i: StepMemoryInput): StepMemoryEstimate {
  const f = 4; // float32
  const params = 6 * i.params * f;
  const perPosition = ACT_PER_D * i.hidden + ACT_PER_HEAD * i.heads * i.length;
  const activations = 2 * i.batch * i.length * i.blocks * perPosition * f;
  const positions = i.batch * i.length;
  const rows = i.chunkedLoss ? Math.min(positions, defaultChunkRows(i.vocab)) : positions;
  const copies = i.chunkedLoss ? VOCAB_COPIES_CHUNKED : VOCAB_COPIES_FULL;
  const vocabulary = (rows * i.vocab * copies + 2 * i.vocab * i.hidden) * f;
  return { total: params + activations + vocabulary, parts: { params, activations, vocabulary } };
}

/** The memory a backend can use for tensors, when it has a hard limit we know (wasm); else undefined. */
export function backendMemoryLimit(backend: string): number | undefined {
  return backend === 'wasm' ? WASM_HEAP_MAX_BYTES : undefined;
}

const gib = (x: number) => `${(x / 2 ** 30).toFixed(2)} GiB`;

/**
 * Throws ConfigError when the estimated step peak exceeds `limit` bytes (no check without a limit).
 * @returns the estimate, for logging
 */
export function checkStepMemory(
  i: StepMemoryInput,
  backend: string,
  limit = backendMemoryLimit(backend),
): StepMemoryEstimate {
  const e = estimateStepMemory(i);
  if (limit !== undefined && e.total > limit) {
    const p = e.parts;
    const fix =
      'lower loader.batch_size or model.length, use a smaller vocabulary (data.tokenizer), ' +
      'or use a backend without this limit';
    throw new ConfigError({
      op: 'train',
      arg: 'loader.batch_size',
      expected: `a training step that fits the ${backend} backend's ${gib(limit)}`,
      got:
        `an estimated peak of ${gib(e.total)} (parameters + AdamW ${gib(p.params)}, ` +
        `activations ${gib(p.activations)}, vocabulary logits ${gib(p.vocabulary)}) ` +
        `at batch ${i.batch} × length ${i.length} × vocabulary ${i.vocab}: ${fix}`,
    });
  }
  return e;
}

/**
 * StepMemoryInput from an experiment's family and model knobs (DiT names: hidden_size, n_blocks,
 * n_heads; absent knobs fall back to the quickstart's sizes, which only matters for the activations).
 */
export function stepMemoryInputOf(o: {
  family: { name: string } & Record<string, unknown>;
  model: Record<string, unknown>;
  params: number;
  batch: number;
  length: number;
  vocab: number;
}): StepMemoryInput {
  const num = (k: string, d: number) => (typeof o.model[k] === 'number' ? (o.model[k] as number) : d);
  // mdlm.ts: the T = 0 path with logits above CHUNKED_LOSS_MIN_LOGITS.
  const mdlmT0 = o.family.name === 'mdlm' && !((o.family['T'] as number | undefined) ?? 0);
  const chunkedLoss = mdlmT0 && o.batch * o.length * o.vocab > CHUNKED_LOSS_MIN_LOGITS;
  return {
    params: o.params,
    batch: o.batch,
    length: o.length,
    vocab: o.vocab,
    hidden: num('hidden_size', num('d_model', 128)), // DiT hidden_size, LLaDA d_model
    blocks: num('n_blocks', num('n_layers', 2)),
    heads: num('n_heads', 4),
    chunkedLoss,
  };
}
