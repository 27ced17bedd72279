import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdamW, ConfigError, Rng, initBackend, shutdownBackend, tf } from '@dlm/core';
import { benchTrainStep, createBenchModel, resolveBenchNetwork, sampleBatch } from './bench-network.ts';
import { formatKernelBench } from './format-kernel-bench.ts';
import { runKernelBench } from './kernel-bench.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

afterAll(async () => {
  await shutdownBackend();
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
    const table = formatKernelBench(r, { profile: true });
    expect(table).toMatch(/matmul NT 16³ .* GFLOP\/s/);
    expect(table).toMatch(/DiT train step .* tokens\/s/);
    expect(table).toMatch(/^peak memory: RSS [\d,]+ MiB; tf\.memory numBytes/m);
    expect(table).toMatch(/^BatchMatMul +[\d.]+ +[\d.]+% +\d+/m);
    expect(table).toMatch(/^wall time per step/m);
    // The profile: every kernel once per name; the training step runs the forward's matmuls and more.
    const p = r.profile!;
    for (const s of [p.forward, p.train]) {
      expect(s.steps).toBe(1);
      expect(new Set(s.kernels.map((k) => k.kernel)).size).toBe(s.kernels.length);
      expect(s.kernelMs).toBeLessThanOrEqual(s.wallMs);
      expect(s.kernels.reduce((a, k) => a + k.share, 0)).toBeCloseTo(s.kernelMs / s.wallMs, 9);
      expect(s.peakBytes).toBeGreaterThan(0);
    }
    const calls = (s: typeof p.train, name: string) => s.kernels.find((k) => k.kernel === name)?.calls ?? 0;
    expect(calls(p.forward, 'BatchMatMul')).toBeGreaterThan(0);
    expect(calls(p.train, 'BatchMatMul')).toBeGreaterThan(2 * calls(p.forward, 'BatchMatMul'));
    expect(p.train.peakBytes).toBeGreaterThan(p.forward.peakBytes);
    // The loss's logSoftmax is an op with a custom gradient: one row, its inner kernels not counted again.
    expect(calls(p.train, 'logSoftmax__op')).toBe(1);
    expect(p.train.nestedKernels).toBeGreaterThan(0);
    expect(p.forward.nestedKernels).toBe(0);
    expect(r.memory.trainPeakBytes).toBe(p.train.peakBytes);
    expect(r.memory.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(r.memory.wasmHeapBytes).toBeUndefined(); // cpu
    expect(r.flops.train).toBe(3 * r.flops.forward);
    expect(r.flops.forwardGflops).toBeGreaterThan(0);
  });

  it('profileSteps 0 gives no profile and no tf.memory peaks', async () => {
    const r = await runKernelBench({ ...tiny, steps: 1, warmup: 0, matmulSize: 0, profileSteps: 0 });
    expect(r.profile).toBeUndefined();
    expect(r.memory.trainPeakBytes).toBeUndefined();
    expect(formatKernelBench(r, { profile: true })).not.toMatch(/per-kernel profile/);
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

  it('on wasm the profile holds wall-clock kernel times (BackendWasm.time brackets each synchronous kernel)', async () => {
    await initBackend({ backend: 'wasm', threads: 1, log: () => {} });
    try {
      const r = await runKernelBench({ ...tiny, width: 64, length: 32, steps: 1, warmup: 1, matmulSize: 0 });
      expect(r.tfjsBackend).toBe('wasm');
      expect(r.memory.wasmHeapBytes).toBeGreaterThanOrEqual(16 * 2 ** 20);
      for (const s of [r.profile!.forward, r.profile!.train]) {
        for (const k of s.kernels) expect(k.ms).toBeGreaterThanOrEqual(0);
        expect(s.kernels.find((k) => k.kernel === 'BatchMatMul')!.ms).toBeGreaterThan(0);
        expect(s.kernelMs).toBeGreaterThan(0);
        expect(s.kernelMs).toBeLessThanOrEqual(s.wallMs);
      }
    } finally {
      await initBackend({ backend: 'cpu', log: () => {} });
    }
  });
});
