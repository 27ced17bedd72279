// The `embedding-transformer` registry entry: the embedding view (embeddingDenoiser) and the ids → logits
// contract, dropout drawn from the train Rng, and Diffusion-LM's get_logits parity cases.
// Fixture routing: every case of every file in DLM_FIXTURES_DIR (else ../shared/fixtures/reference) whose
// source.function is `…get_logits` (TransformerNetModel2.get_logits / TransformerNetModel.get_logits: this
// network's rounding head) is checked here through the backbone's logits with the case's E and bias loaded;
// the other cases of those files are the process / loss / sampler math that @dlm/parity checks. The head runs
// in tfjs float32, so the tolerance is rtol 1e-4 / atol 1e-5 (not the file's float64 1e-12).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, assertAllClose, f64, initBackend, tf, type NestedNumbers } from '@dlm/core';
import { buildBackbone } from '../registry.ts';
import { embeddingTransformerBackbone } from './backbone.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const fixturesDir = process.env['DLM_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/reference');

const o = { family: 'diffusion-lm', accepted: ['embedding-transformer'], vocabSize: 9, timeConditioning: true };
const slot = (knobs: Record<string, unknown> = {}) => ({
  name: 'embedding-transformer',
  ...embeddingTransformerBackbone.testConfig,
  ...knobs,
});
const ids = () =>
  tf.tensor2d(
    [
      [1, 8, 0, 4, 4, 2],
      [3, 3, 7, 5, 6, 0],
    ],
    [2, 6],
    'int32',
  );

describe('embedding-transformer backbone', () => {
  it('forward(ids, σ) = logits(denoiser(E[ids], σ)); forwardHidden + outputHead split it; nothing leaks', () => {
    const net = buildBackbone(slot(), { ...o, rng: Rng.seeded(3) });
    const den = net.embeddingDenoiser!;
    expect(net.maxLength).toBe(8);
    expect(den.embeddingDim).toBe(4);
    const x = ids();
    const sigma = tf.tensor1d([0, 250]);
    const before = tf.memory().numTensors;
    const logits = tf.tidy(() => [...net.forward(x, sigma).dataSync()]);
    const viaDenoiser = tf.tidy(() => [...den.logits(den.forward(den.embed(x), sigma)).dataSync()]);
    const split = tf.tidy(() => {
      const h = net.forwardHidden!(x, sigma);
      const head = net.outputHead!();
      expect(head.weight).toBe(den.embeddingWeight());
      return [...tf.add(tf.matMul(tf.reshape(h, [-1, 4]), head.weight, false, true), head.bias!).dataSync()];
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(logits).toHaveLength(2 * 6 * 9);
    expect(viaDenoiser).toEqual(logits);
    assertAllClose('split', split, logits, 1e-5, 1e-6);
    x.dispose();
    sigma.dispose();
    net.dispose();
  });

  it('timeConditioning false feeds t = 0; logits_mode 2 has no linear output head', () => {
    const timed = buildBackbone(slot(), { ...o, rng: Rng.seeded(4) });
    const untimed = buildBackbone(slot(), { ...o, timeConditioning: false, rng: Rng.seeded(4) });
    const x = ids();
    const run = (net: typeof timed, t: number[]) => tf.tidy(() => [...net.forward(x, tf.tensor1d(t)).dataSync()]);
    expect(run(untimed, [100, 900])).toEqual(run(timed, [0, 0]));
    expect(run(timed, [100, 900])).not.toEqual(run(timed, [0, 0]));
    const mode2 = buildBackbone(slot({ logits_mode: 2 }), { ...o, rng: Rng.seeded(4) });
    expect(mode2.outputHead).toBeUndefined();
    expect(mode2.forwardHidden).toBeUndefined();
    // −distance logits: every entry ≤ 0
    expect(run(mode2, [1, 2]).every((v) => v <= 0)).toBe(true);
    [timed, untimed, mode2].forEach((n) => n.dispose());
    x.dispose();
  });

  it('dropout draws from the train Rng only: same train seed → same output, eval has none', () => {
    const knobs = { dropout: 0.3, attention_probs_dropout_prob: 0.2 };
    const [a, b] = [0, 1].map(() => buildBackbone(slot(knobs), { ...o, rng: Rng.seeded(6) }));
    const den = (n: typeof a) => n!.embeddingDenoiser!;
    const x = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
    const run = (n: typeof a, train?: { rng: Rng }) =>
      tf.tidy(() => [
        ...den(n)
          .forward(x, tf.tensor1d([3, 30]), train)
          .dataSync(),
      ]);
    expect(run(a)).toEqual(run(b));
    expect(run(a, { rng: Rng.seeded(9) })).toEqual(run(b, { rng: Rng.seeded(9) }));
    expect(run(a, { rng: Rng.seeded(9) })).not.toEqual(run(a));
    expect(run(a, { rng: Rng.seeded(9) })).not.toEqual(run(a, { rng: Rng.seeded(10) }));
    // Rates of 0: training equals evaluation.
    const c = buildBackbone(slot(), { ...o, rng: Rng.seeded(6) });
    expect(run(c, { rng: Rng.seeded(9) })).toEqual(run(c));
    [a, b, c].forEach((n) => n!.dispose());
    x.dispose();
  });

  it('get_logits parity: every get_logits case of the reference fixtures through the backbone head', () => {
    expect(existsSync(fixturesDir), `fixtures folder ${fixturesDir} (DLM_FIXTURES_DIR)`).toBe(true);
    let checked = 0;
    for (const file of readdirSync(fixturesDir).filter((f) => f.endsWith('.json'))) {
      const json = JSON.parse(readFileSync(join(fixturesDir, file), 'utf8')) as {
        cases: {
          name: string;
          source?: { function?: string };
          inputs: Record<string, unknown>;
          outputs: Record<string, unknown>;
        }[];
      };
      for (const c of json.cases) {
        if (!/(^|\.)get_logits$/.test(c.source?.function ?? '')) continue;
        const E = f64(c.inputs.embedding as NestedNumbers);
        const h = f64(c.inputs.hidden_repr as NestedNumbers);
        const [V, D] = E.shape as [number, number];
        const mode = Number(c.inputs.logits_mode) as 1 | 2;
        const net = buildBackbone(slot({ hidden_dim: D, logits_mode: mode }), {
          ...o,
          vocabSize: V,
          rng: Rng.seeded(0),
        });
        const den = net.embeddingDenoiser!;
        tf.tidy(() => {
          den.embeddingWeight().assign(tf.tensor2d(Float32Array.from(E.data), [V, D]));
          if (mode === 1)
            net.params
              .get('lm_head.bias')
              .assign(tf.tensor1d(Float32Array.from(f64(c.inputs.lm_head_bias as NestedNumbers).data)));
        });
        const got = tf.tidy(() => [
          ...den.logits(tf.tensor3d(Float32Array.from(h.data), h.shape as [number, number, number])).dataSync(),
        ]);
        const want = f64(c.outputs.logits as NestedNumbers);
        expect(want.shape).toEqual([...h.shape.slice(0, -1), V]);
        assertAllClose(`${file} ${c.name}`, got, want.data, 1e-4, 1e-5);
        net.dispose();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
