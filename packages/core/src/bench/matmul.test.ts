import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors.ts';
import { initBackend } from '../backend/select.ts';
import { expectNoLeak } from '../testing/leak-guard.ts';
import { matmulGflops } from './matmul.ts';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', threads: 1, log: () => {}, env: {} });
});

// No timing assertions: only that the helper measures something and cleans up.
describe('matmulGflops', () => {
  it('returns positive GFLOP/s for each variant and leaks no tensors', async () => {
    for (const variant of ['NN', 'NT', 'TN'] as const) {
      const r = await expectNoLeak(() => matmulGflops({ n: 64, variant, iters: 2, warmup: 1 }));
      expect(r.gflops).toBeGreaterThan(0);
      expect(r.msPerIter).toBeGreaterThan(0);
      expect([r.m, r.k, r.n, r.batch, r.variant, r.backend]).toEqual([64, 64, 64, 1, variant, 'wasm']);
    }
  });

  it('takes rectangular and batched shapes', async () => {
    const r = await matmulGflops({ m: 8, k: 16, n: 32, batch: 3, variant: 'TN', iters: 1, warmup: 0 });
    expect([r.m, r.k, r.n, r.batch]).toEqual([8, 16, 32, 3]);
    expect(r.gflops).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(0);
  });

  it('rejects bad options with ConfigError', async () => {
    await expect(matmulGflops({ n: 0 })).rejects.toThrow(ConfigError);
    await expect(matmulGflops({ variant: 'XY' as never })).rejects.toThrow(/variant/);
  });
});
