// The contract every registered family keeps (iterates the `families` registry: a new family is
// tested here without a line added). Each family runs on its first accepted backbone's declared
// test config and its own `testConfig`, and is checked against what it declares: training lowers
// the loss, the likelihood bound (if declared) is finite and ≥ 0, every sampler returns
// [num, length] ids of the vocabulary with its NFE, same seed → same numbers, and a checkpoint +
// resume through the runner's train loop reproduces the uninterrupted run.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, initBackend, tf } from '@dlm/core';
import { BlockLoader, type LoaderState } from '@dlm/data';
import { backbones, families } from '@dlm/models';
import { MetricsLog } from './metrics.ts';
import { familyTestSetup } from './testing-family-setup.ts';
import { toTokenBatch, train, type TrainOptions } from './train-loop.ts';

const opts: TrainOptions = {
  steps: 6,
  accumulate: 1,
  lr: 1e-2,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  warmupSteps: 0,
  decay: 'constant',
  minLrRatio: 0,
  gradClip: 1,
  ema: 0.9,
  logEvery: 1,
  evalEvery: 3,
  checkpointEvery: 3,
  keepCheckpoints: 2,
};

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe.each([...families].map(([name, def]) => [name, def] as const))('family contract: %s', (name, def) => {
  const { L, vocab, build, blocks } = familyTestSetup(def);
  const batch = toTokenBatch(new BlockLoader(blocks, { batchSize: 8, shuffle: false }, Rng.seeded(0)).next());
  const loaderOpts = { batchSize: 8 };
  const context = (runDir: string, resume: boolean, model = build()) => ({
    runDir,
    model,
    resume,
    valBatches: [batch],
    rng: Rng.seeded(5),
    train: new BlockLoader(blocks, loaderOpts, Rng.seeded(5).split('data')),
    restoreTrain: (s: LoaderState) => BlockLoader.restore(blocks, loaderOpts, s),
  });

  it('declares a default sampler of its registry, registered backbones and its capabilities', () => {
    expect(def.name).toBe(name);
    expect(def.samplers.has(def.defaultSampler)).toBe(true);
    expect(def.backbones.length).toBeGreaterThan(0);
    for (const b of def.backbones) expect(backbones.has(b)).toBe(true);
    expect(typeof def.capabilities.likelihoodBound).toBe('boolean');
  });

  it('training steps lower the loss (same draws before and after)', async () => {
    const model = build();
    const lossAt = (k: number) => tf.tidy(() => model.trainLoss(batch, Rng.seeded(k)).dataSync()[0]!);
    const loss = () => [1, 2, 3, 4].reduce((a, k) => a + lossAt(k), 0) / 4;
    const before = loss();
    const dir = mkdtempSync(join(tmpdir(), `dlm-contract-${name}-`));
    await train(context(dir, false, model), { ...opts, steps: 20, ema: 0, evalEvery: 20, checkpointEvery: 20 });
    expect(loss()).toBeLessThan(before - 0.05);
    model.dispose();
  });

  it('the likelihood bound is finite and ≥ 0 per sequence (if declared), with its token counts', () => {
    const model = build();
    const draw = model.nll(batch, Rng.seeded(3));
    expect(draw.nats.length).toBe(8);
    expect([...draw.tokens]).toEqual(new Array(8).fill(L));
    if (def.capabilities.likelihoodBound) for (const n of draw.nats) expect(Number.isFinite(n) && n >= 0).toBe(true);
    model.dispose();
  });

  it('every sampler returns [num, length] ids of the vocabulary and its NFE; same seed → same numbers', () => {
    const a = build(),
      b = build();
    // Conditional-only families (none yet) would need a prompt here; every family generates somehow.
    expect(def.capabilities.unconditionalSampling || def.capabilities.conditionalGeneration).toBe(true);
    const samplers = def.capabilities.unconditionalSampling ? def.samplers.names() : [];
    for (const sampler of samplers) {
      const req = (seed: number) => ({ num: 2, length: L, steps: 4, sampler, rng: Rng.seeded(seed) });
      const r = a.sample(req(7));
      expect(r.ids.shape).toEqual([2, L]);
      expect([...r.ids.data].every((x) => Number.isInteger(x) && x >= 0 && x < vocab.size)).toBe(true);
      expect(Number.isInteger(r.nfe) && r.nfe >= 1 && r.nfe <= 5).toBe(true);
      expect([...b.sample(req(7)).ids.data]).toEqual([...r.ids.data]);
    }
    const la = tf.tidy(() => a.trainLoss(batch, Rng.seeded(11)).dataSync()[0]!);
    expect(tf.tidy(() => b.trainLoss(batch, Rng.seeded(11)).dataSync()[0]!)).toBe(la);
    expect([...b.nll(batch, Rng.seeded(12)).nats]).toEqual([...a.nll(batch, Rng.seeded(12)).nats]);
    a.dispose();
    b.dispose();
  });

  it('checkpoint + resume through the train loop reproduces the uninterrupted run', async () => {
    const full = mkdtempSync(join(tmpdir(), `dlm-contract-full-${name}-`));
    const a = build();
    await train(context(full, false, a), opts);
    const cut = mkdtempSync(join(tmpdir(), `dlm-contract-cut-${name}-`));
    const b0 = build();
    const kill = (row: { step: number }) => {
      if (row.step === 4) throw new Error('killed');
    };
    await expect(train({ ...context(cut, false, b0), hooks: { onStep: kill } }, opts)).rejects.toThrow('killed');
    b0.dispose();
    const b = build(99); // another init: everything must come from the checkpoint (step 3)
    await train(context(cut, true, b), opts);
    const rows = (d: string) => new MetricsLog(join(d, 'metrics.jsonl')).read();
    const strip = (d: string) => rows(d).map(({ tokens_per_sec: _, ...r }) => r);
    expect(strip(cut)).toEqual(strip(full));
    const wa = a.params.stateDict(),
      wb = b.params.stateDict();
    for (const [k, t] of wa) expect([...wb.get(k)!.data]).toEqual([...t.data]);
    a.dispose();
    b.dispose();
  });
});
