// openModel on the checkpoint fixtures (found by content): a gpt2 folder opens as the AR family with GPT-2's BPE
// and the folder's weights (its logits equal the checkpoint model's), a LLaDA folder as the LLaDA family without a
// tokenizer; run-only flags and missing paths are named errors.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  Rng,
  initBackend,
  loadSafetensors,
  shutdownBackend,
  writeShardedSafetensors,
  checkpointFixtureFolder,
  checkpointFixturesDir,
} from '@dlm/core';
import { openModel, requireTokenizer } from './open-model.ts';
import { runEval } from './run-eval.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(() => shutdownBackend());

describe('openModel (checkpoint folders)', () => {
  it('gpt2 → the AR family with GPT-2 BPE, n_positions as the maximum length, the folder weights', async () => {
    const m = await openModel(checkpointFixtureFolder('gpt2'));
    try {
      expect(m.kind).toBe('checkpoint');
      expect(m.family.name).toBe('ar');
      expect(m.vocab.size).toBe(50257);
      expect(m.maxLength).toBe(512);
      expect(m.tokenizer?.name).toBe('gpt2');
      expect(m.defaultOutDir('mc')).toBe(join('evals', 'gpt2', 'mc'));
      // The folder's weights, not a random init: the exact NLL of one sequence is the same from two opens with
      // different seeds.
      const other = await openModel(checkpointFixtureFolder('gpt2'), { seed: 7 });
      const batch = { ids: { data: Int32Array.from([50256, 464, 2068, 7586, 21831]), shape: [1, 5] } };
      const a = m.model.nll(batch, Rng.seeded(1));
      const b = other.model.nll(batch, Rng.seeded(2));
      other.dispose();
      expect(a.tokens[0]).toBe(5); // the AR family scores every position (the first from its BOS)
      expect(a.nats[0]).toBeGreaterThan(0);
      expect(b.nats[0]).toBeCloseTo(a.nats[0]!, 4);
    } finally {
      m.dispose();
    }
  });

  it('llada → the LLaDA family, ids only (requireTokenizer names the folder)', async () => {
    const dir = checkpointFixtureFolder('llada');
    const m = await openModel(dir);
    try {
      expect(m.family.name).toBe('llada');
      expect(m.vocab).toMatchObject({ size: 64, maskId: 62, eosId: 61 });
      expect(m.tokenizer).toBeUndefined();
      expect(() => requireTokenizer(m, 'dlm eval mc', 'score text')).toThrow(/has no tokenizer/);
    } finally {
      m.dispose();
    }
  });

  for (const [kind, family] of [
    ['mdlm', 'mdlm'],
    ['sedd', 'sedd'],
  ] as const) {
    it(`${kind} → the ${family} family with the folder's weights, ids only, a finite bound`, async () => {
      const dir = checkpointFixtureFolder(kind);
      const m = await openModel(dir);
      try {
        expect(m.family.name).toBe(family);
        expect(m.layout?.name).toBe(kind);
        expect(m.tokenizer).toBeUndefined(); // a 41-id vocabulary: no GPT-2 BPE
        expect(m.maxLength).toBe(16);
        const stored = loadSafetensors(dir).tensors;
        const prefix = kind === 'mdlm' ? 'backbone.' : '';
        expect(m.model.params.names().length).toBe(stored.size);
        for (const n of m.model.params.names()) {
          expect(Float32Array.from(m.model.params.get(n).dataSync()), n).toEqual(stored.get(prefix + n)!.data);
        }
        const ids = Int32Array.from({ length: 16 }, (_, i) => (i * 7) % 40);
        // One draw can mask nothing (a bound of 0 for SEDD absorb); the mean of 8 draws is > 0 and finite.
        const draws = Array.from({ length: 8 }, (_, k) =>
          m.model.nll({ ids: { data: ids, shape: [1, 16] } }, Rng.seeded(k)),
        );
        for (const d of draws) expect(d.nats[0]).toBeGreaterThanOrEqual(0);
        const mean = draws.reduce((a, d) => a + d.nats[0]!, 0) / draws.length;
        expect(Number.isFinite(mean)).toBe(true);
        expect(mean).toBeGreaterThan(0);
      } finally {
        m.dispose();
      }
    });
  }

  it('a sharded BF16 copy of the mdlm folder opens with its weights rounded to bfloat16 (≤ 2^-8 relative)', async () => {
    const src = checkpointFixtureFolder('mdlm');
    const dir = mkdtempSync(join(tmpdir(), 'dlm-open-bf16-'));
    copyFileSync(join(src, 'config.json'), join(dir, 'config.json'));
    const stored = loadSafetensors(src).tensors;
    const bf16 = new Map([...stored].map(([k, t]) => [k, { dtype: 'BF16' as const, shape: t.shape, data: t.data }]));
    expect(writeShardedSafetensors(dir, bf16, { maxShardBytes: 48 * 1024 }).shards.length).toBeGreaterThanOrEqual(2);
    const m = await openModel(dir);
    try {
      expect(m.family.name).toBe('mdlm');
      for (const n of m.model.params.names()) {
        const a = stored.get(`backbone.${n}`)!.data;
        const b = m.model.params.get(n).dataSync();
        for (let i = 0; i < a.length; i++)
          expect(Math.abs(b[i]! - a[i]!)).toBeLessThanOrEqual(2 ** -8 * Math.abs(a[i]!));
      }
    } finally {
      m.dispose();
    }
  });

  it('run-only flags on a folder and a missing path are named errors', async () => {
    await expect(openModel(checkpointFixtureFolder('gpt2'), { checkpoint: '3' })).rejects.toThrow(
      /--checkpoint applies to runs only/,
    );
    await expect(openModel(checkpointFixtureFolder('gpt2'), { noEma: true })).rejects.toThrow(
      /--no-ema applies to runs only/,
    );
    await expect(openModel(join(checkpointFixturesDir(), 'no-such'))).rejects.toThrow(ConfigError);
  });

  it('bare dlm eval on a folder names the verbs that take data', async () => {
    await expect(runEval({ runDir: checkpointFixtureFolder('gpt2'), log: () => {} })).rejects.toThrow(
      /is a checkpoint folder, expected a run directory; .*dlm eval likelihood .* --data/,
    );
  });
});
