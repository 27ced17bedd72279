import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW, ConfigError, Rng, initBackend, tf } from '@dlm/core';
import { benchTrainStep, createBenchModel, resolveBenchNetwork, sampleBatch } from './bench-network.ts';
import { formatKernelBench } from './format-kernel-bench.ts';
import { runKernelBench } from './kernel-bench.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const tiny = { vocab: 12, width: 16, blocks: 1, heads: 2, condDim: 8, length: 8, batch: 2 };

describe('runKernelBench (tiny sizes; speed is never asserted)', () => {
  it('returns positive figures of the right shape, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const r = await runKernelBench({ ...tiny, steps: 2, warmup: 0, matmulSize: 16, matmulIters: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.matmul.map((m) => m.variant)).toEqual(['NN', 'NT', 'TN']);
    for (const m of r.matmul) expect(m.gflops).toBeGreaterThan(0);
    for (const f of [r.forward, r.train]) {
      expect(f.steps).toBe(2);
      expect(f.tokensPerSec).toBeGreaterThan(0);
      expect(f.msPerStep).toBeGreaterThan(0);
    }
    expect(Number.isFinite(r.train.firstLoss) && r.train.firstLoss > 0).toBe(true);
    expect(r.network).toMatchObject({ ...tiny });
    expect(r.tfjsBackend).toBe('cpu');
    // off on cpu (or by the tests' DLM_NATIVE=0), and the table says so
    expect(r.native).toMatch(/^off: (DLM_NATIVE=0|backend cpu \(the native kernels are for wasm\))$/);
    const table = formatKernelBench(r);
    expect(table).toContain(`native kernels ${r.native}`);
    expect(table).toMatch(/matmul NT 16³ .* GFLOP\/s/);
    expect(table).toMatch(/DiT train step .* tokens\/s/);
  });

  it('the benchmark network has the specified parts and parameter count', () => {
    const c = resolveBenchNetwork({});
    expect(c).toEqual({ vocab: 1024, width: 256, blocks: 4, heads: 4, condDim: 256, length: 128, batch: 16 });
    const m = createBenchModel({ ...tiny }, Rng.seeded(0));
    const [V, D, C, L, F] = [13, 16, 8, 8, 64];
    // embeddings + σ MLP + per block (adaLN, qkv, out, MLP with biases) + head
    const want =
      V * D +
      L * D +
      (C * 256 + C + C * C + C) +
      (6 * D * C + 6 * D + 3 * D * D + D * D + F * D + F + D * F + D) +
      (V * D + V);
    expect(m.numParams()).toBe(want);
    m.dispose();
  });

  it('training on one repeated batch lowers the masked cross-entropy', () => {
    const c = { ...tiny };
    const m = createBenchModel(c, Rng.seeded(1));
    const opt = new AdamW(m.params.trainable(), { lr: 1e-2, weightDecay: 0 });
    const batch = sampleBatch(c, Rng.seeded(2));
    expect(batch.masked.some((x) => x === 1)).toBe(true);
    const first = benchTrainStep(m, opt, c, batch);
    let last = first;
    for (let i = 0; i < 20; i++) last = benchTrainStep(m, opt, c, batch);
    expect(last).toBeLessThan(first * 0.8);
    opt.dispose();
    m.dispose();
  });

  it('rejects unknown options and bad sizes', async () => {
    await expect(runKernelBench({ widht: 8 } as never)).rejects.toThrow(ConfigError);
    await expect(runKernelBench({ ...tiny, heads: 3 })).rejects.toThrow(/heads/);
    await expect(runKernelBench({ ...tiny, steps: 0 })).rejects.toThrow(/steps/);
  });
});
