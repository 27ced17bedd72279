import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, initBackend, tf } from '@dlm/core';
import { BlockLoader, type LoaderState, type PackedBlocks } from '@dlm/data';
import { toyFamily } from './testing-toy-family.ts';
import { train, TrainingDivergedError, toTokenBatch, type TrainOptions } from './train-loop.ts';
import { MetricsLog } from './metrics.ts';

const V = 7;
function blocks(rows: number, length: number): PackedBlocks {
  // A skewed corpus: token v appears with weight v+1, so the unigram loss can fall.
  const r = Rng.seeded(99);
  const tokens = Int32Array.from({ length: rows * length }, () =>
    Math.min(V - 1, Math.floor(Math.sqrt(r.uniform() * V * V))),
  );
  return { rows, length, tokens, stats: { documents: rows, droppedTokens: 0, truncatedDocuments: 0 } };
}
const data = blocks(40, 8);
const loaderOpts = { batchSize: 4 };
const opts: TrainOptions = {
  steps: 12,
  accumulate: 2,
  lr: 0.05,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0.01,
  warmupSteps: 3,
  decay: 'cosine',
  minLrRatio: 0.1,
  gradClip: 1,
  ema: 0.9,
  logEvery: 1,
  evalEvery: 4,
  checkpointEvery: 3,
  keepCheckpoints: 2,
};
const valBatches = [toTokenBatch(new BlockLoader(data, { batchSize: 8, shuffle: false }, Rng.seeded(0)).next())];

function context(runDir: string, resume: boolean, model = toyFamily(V)) {
  return {
    runDir,
    model,
    resume,
    valBatches,
    rng: Rng.seeded(5),
    train: new BlockLoader(data, loaderOpts, Rng.seeded(5).split('data')),
    restoreTrain: (s: LoaderState) => BlockLoader.restore(data, loaderOpts, s),
  };
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('train loop', () => {
  it('loss falls and every artefact is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlm-train-'));
    const r = await train(context(dir, false), { ...opts, steps: 30 });
    const rows = new MetricsLog(join(dir, 'metrics.jsonl')).read();
    const losses = rows.filter((x) => x.split === 'train').map((x) => x.loss as number);
    expect(losses.length).toBe(30);
    expect(losses.slice(-5).reduce((a, b) => a + b) / 5).toBeLessThan(
      losses.slice(0, 5).reduce((a, b) => a + b) / 5 - 0.05,
    );
    expect(rows.filter((x) => x.split === 'val').length).toBe(8); // steps 4, 8, …, 28 and 30
    expect(r.lastVal!.perplexity).toBeLessThan(V);
    expect(readFileSync(join(dir, 'checkpoints', 'latest'), 'utf8').trim()).toBe('step-0000030');
  });

  it('stopping after a checkpoint and resuming gives exactly the uninterrupted run', async () => {
    const full = mkdtempSync(join(tmpdir(), 'dlm-full-'));
    const a = toyFamily(V);
    await train(context(full, false, a), opts);
    const cut = mkdtempSync(join(tmpdir(), 'dlm-cut-'));
    const b0 = toyFamily(V);
    let stopped = false;
    try {
      await train(
        {
          ...context(cut, false, b0),
          hooks: {
            onStep: (row) => {
              if (row.step === 8) throw new Error('killed');
            },
          },
        },
        opts,
      );
    } catch (e) {
      stopped = (e as Error).message === 'killed';
    }
    expect(stopped).toBe(true);
    const b = toyFamily(V, 123); // different init: everything must come from the checkpoint (step 6)
    await train(context(cut, true, b), opts);
    // Every metric except wall-clock speed is identical.
    const strip = (d: string) =>
      new MetricsLog(join(d, 'metrics.jsonl')).read().map(({ tokens_per_sec: _, ...r }) => r);
    expect(strip(cut)).toEqual(strip(full));
    expect(strip(cut).length).toBe(12 + 3);
    expect([...b.params.get('w').dataSync()]).toEqual([...a.params.get('w').dataSync()]);
  });

  it('a NaN loss stops naming the step and keeps the last good checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlm-nan-'));
    const model = toyFamily(V, 0, { poisonAtCall: 2 * 7 + 1 }); // first micro-batch of step 8
    await expect(train(context(dir, false, model), opts)).rejects.toThrow(TrainingDivergedError);
    const dir2 = mkdtempSync(join(tmpdir(), 'dlm-nan-'));
    await expect(train(context(dir2, false, toyFamily(V, 0, { poisonAtCall: 15 })), opts)).rejects.toThrow(
      /loss at step 8 diverged.*step-0000006.*expected a finite number, got NaN/,
    );
    expect(readFileSync(join(dir2, 'checkpoints', 'latest'), 'utf8').trim()).toBe('step-0000006');
    expect(existsSync(join(dir2, 'checkpoints', 'step-0000009'))).toBe(false);
  });

  it('tensor count does not grow across training steps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlm-leak-'));
    const model = toyFamily(V);
    const before = tf.memory().numTensors;
    await train(context(dir, false, model), { ...opts, steps: 6 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
