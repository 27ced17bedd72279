// No tensor growth across training steps: every registered family runs the runner's train loop (AdamW, clipping,
// EMA, validation every 20 steps, a checkpoint at the end) on its tiny test config for 60 steps on the cpu and
// wasm backends; the live tensors, their bytes and the backend's buffers after step 5 equal those after every
// later step. A leak of one tensor per step would show as +55. (1,000 steps: `dlm train … --check-leaks 100`.)
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, initBackend, shutdownBackend, tf } from '@dlm/core';
import { BlockLoader, type LoaderState } from '@dlm/data';
import { families } from '@dlm/models';
import { LeakWatch, memoryMark } from './leak-check.ts';
import { familyTestSetup } from './testing-family-setup.ts';
import { toTokenBatch, train, type TrainOptions } from './train-loop.ts';

const STEPS = 60;
const opts: TrainOptions = {
  steps: STEPS,
  accumulate: 1,
  lr: 1e-2,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0.01,
  warmupSteps: 5,
  decay: 'cosine',
  minLrRatio: 0.1,
  gradClip: 1,
  ema: 0.9,
  logEvery: 10,
  evalEvery: 20,
  checkpointEvery: STEPS,
  keepCheckpoints: 1,
};

afterAll(async () => {
  await shutdownBackend();
});

describe('LeakWatch', () => {
  it('marks every K-th step and the last, and reports growth between the first and the last mark', () => {
    const lines: string[] = [];
    const w = new LeakWatch(2, (l) => lines.push(l));
    const kept: tf.Tensor[] = [];
    for (let step = 1; step <= 5; step++) {
      kept.push(tf.zeros([3])); // a leak of one 12-byte tensor per step
      w.afterStep(step, step === 5);
    }
    expect(w.marks.map((m) => m.step)).toEqual([2, 4, 5]);
    expect(w.growth()).toMatchObject({ steps: 3, numTensors: 3, numBytes: 36, backendDataIds: 3 });
    expect(lines[0]).toMatch(/^step 2: \d+ tensors, [\d,]+ bytes, \d+ backend buffers$/);
    expect(w.summary()).toMatch(/^check leaks: GROWTH from step 2 to 5: \+3 tensors, \+36 bytes, \+3 backend buffers$/);
    tf.dispose(kept);
    const flat = new LeakWatch(1);
    flat.afterStep(1, false);
    flat.afterStep(2, true);
    expect(flat.summary()).toMatch(/^check leaks: flat from step 1 to 2 \(\d+ tensors/);
    expect(() => new LeakWatch(0)).toThrow(/every.*an integer ≥ 1/);
  });
});

describe.each(['cpu', 'wasm'])('no tensor growth over %s training steps', (backend) => {
  it.each([...families.names()])(
    `%s: the counts after step 5 equal those after every later step (${STEPS} steps)`,
    async (name) => {
      await initBackend({ backend, log: () => {} });
      const { build, blocks } = familyTestSetup(families.get(name));
      const before = memoryMark(0);
      const model = build();
      const loaderOpts = { batchSize: 8 };
      const val = toTokenBatch(new BlockLoader(blocks, { batchSize: 8, shuffle: false }, Rng.seeded(0)).next());
      const watch = new LeakWatch(1);
      const r = await train(
        {
          runDir: mkdtempSync(join(tmpdir(), `dlm-leak-${name}-`)),
          model,
          resume: false,
          valBatches: [val],
          rng: Rng.seeded(5),
          train: new BlockLoader(blocks, loaderOpts, Rng.seeded(5).split('data')),
          restoreTrain: (s: LoaderState) => BlockLoader.restore(blocks, loaderOpts, s),
          hooks: { afterStep: (step, last) => watch.afterStep(step, last) },
        },
        opts,
      );
      expect(r.step).toBe(STEPS);
      expect(Number.isFinite(r.lastLoss)).toBe(true);
      expect(watch.marks).toHaveLength(STEPS);
      const at5 = watch.marks[4]!;
      const later = watch.marks
        .slice(5)
        .filter(
          (m) =>
            m.numTensors !== at5.numTensors || m.numBytes !== at5.numBytes || m.backendDataIds !== at5.backendDataIds,
        );
      expect(later, `step 5: ${JSON.stringify(at5)}`).toEqual([]);
      model.dispose();
      // The loop disposed its optimizer and EMA, and the model its parameters: what was there before the model.
      expect(memoryMark(0)).toEqual(before);
    },
    300_000,
  );
});
