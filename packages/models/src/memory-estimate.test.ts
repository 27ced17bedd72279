import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dlm/core';
import {
  WASM_HEAP_MAX_BYTES,
  backendMemoryLimit,
  checkStepMemory,
  estimateStepMemory,
  stepMemoryInputOf,
} from './memory-estimate.ts';

const GiB = 2 ** 30;
// The quickstart (DiT 128 × 2 blocks, 4 heads, batch 32 × length 32) with the GPT-2 vocabulary.
const quickstartGpt2 = { params: 13_449_044, batch: 32, length: 32, vocab: 50260, hidden: 128, blocks: 2, heads: 4 };

describe('estimateStepMemory', () => {
  it('counts 6 float32 copies of the parameters and the [rows, V] logits blocks', () => {
    const chunked = estimateStepMemory({ ...quickstartGpt2, chunkedLoss: true });
    const full = estimateStepMemory({ ...quickstartGpt2, chunkedLoss: false });
    expect(chunked.parts.params).toBe(6 * 4 * 13_449_044);
    expect(full.parts.activations).toBe(chunked.parts.activations);
    // Unchunked the [1024, 50260] logits dominate (≈ 0.2 GiB each); chunked keeps one [166, V] block.
    expect(full.parts.vocabulary / chunked.parts.vocabulary).toBeGreaterThan(8);
    expect(chunked.total).toBe(chunked.parts.params + chunked.parts.activations + chunked.parts.vocabulary);
  });

  it('GPT-2 quickstart: within 10% of the measured peaks, unchunked over the wasm heap, chunked well inside', () => {
    // Measured on wasm (tfjs 4.22), peak tf.memory().numBytes: 4741 MiB unchunked (the heap hit 4 GiB and the
    // run aborted), 700 MiB chunked.
    const full = estimateStepMemory({ ...quickstartGpt2, chunkedLoss: false }).total;
    const chunked = estimateStepMemory({ ...quickstartGpt2, chunkedLoss: true }).total;
    expect(Math.abs(full / (4741 * 2 ** 20) - 1)).toBeLessThan(0.1);
    expect(Math.abs(chunked / (700 * 2 ** 20) - 1)).toBeLessThan(0.1);
    expect(() => checkStepMemory({ ...quickstartGpt2, chunkedLoss: false }, 'wasm')).toThrow(ConfigError);
    expect(chunked).toBeLessThan(1 * GiB);
  });
});

describe('checkStepMemory', () => {
  it('throws a ConfigError naming the batch size, the estimate and the limit when the step cannot fit', () => {
    const big = { ...quickstartGpt2, batch: 4096, chunkedLoss: true };
    let err: unknown;
    try {
      checkStepMemory(big, 'wasm');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const m = (err as Error).message;
    expect(m).toMatch(/^train: loader\.batch_size, expected a training step that fits the wasm backend's 4\.00 GiB/);
    expect(m).toMatch(/estimated peak of 1\d\.\d\d GiB .* at batch 4096 × length 32 × vocabulary 50260/);
    expect(m).toMatch(/lower loader\.batch_size or model\.length/);
  });

  it('passes a step that fits, and never checks a backend without a known limit', () => {
    expect(checkStepMemory({ ...quickstartGpt2, chunkedLoss: true }, 'wasm').total).toBeLessThan(WASM_HEAP_MAX_BYTES);
    expect(backendMemoryLimit('cpu')).toBeUndefined();
    expect(() => checkStepMemory({ ...quickstartGpt2, batch: 4096, chunkedLoss: true }, 'cpu')).not.toThrow();
  });

  it('reads DiT knobs from the experiment; only MDLM with T = 0 has the chunked loss', () => {
    const model = { hidden_size: 768, n_blocks: 12, n_heads: 12, length: 1024 };
    const base = { model, params: 1, batch: 8, length: 1024, vocab: 50260 };
    const mdlm = stepMemoryInputOf({ ...base, family: { name: 'mdlm', T: 0 } });
    const want = { params: 1, batch: 8, length: 1024, vocab: 50260, hidden: 768, blocks: 12, heads: 12 };
    expect(mdlm).toEqual({ ...want, chunkedLoss: true });
    expect(stepMemoryInputOf({ ...base, family: { name: 'mdlm', T: 1000 } }).chunkedLoss).toBe(false);
    expect(stepMemoryInputOf({ ...base, family: { name: 'sedd' } }).chunkedLoss).toBe(false);
    // LLaDA's config.json names: d_model, n_layers, n_heads.
    const llada = { d_model: 4096, n_layers: 32, n_heads: 32, max_sequence_length: 4096 };
    const l = stepMemoryInputOf({ ...base, model: llada, family: { name: 'llada' } });
    expect([l.hidden, l.blocks, l.heads, l.chunkedLoss]).toEqual([4096, 32, 32, false]);
  });
});
