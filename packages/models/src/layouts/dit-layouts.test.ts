// The sedd and mdlm layouts on every SEDD / MDLM fixture folder (found by config content, never by folder name):
// the folder becomes experiment slots (family knobs, dit backbone with init_from, noise, vocab); the backbone
// built from the model slot through the registry, with the family's time conditioning, reproduces every case of
// cases.json within its tolerance (SEDD: the log score after seddLogScore with the slot's scale_by_sigma; MDLM:
// logits and SUBS log-probs); the family model built from the slots holds exactly those weights. Neither layout
// generates from a prompt. Knobs written next to init_from must agree with the folder's config.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng, assertAllClose, checkpointFamily, initBackend, shutdownBackend, tf } from '@dlm/core';
import { subsLogProbs } from '@dlm/losses';
import { buildSchedule } from '@dlm/schedules';
import { buildBackbone } from '../backbones/registry.ts';
import { seddLogScore } from '../backbones/dit/sedd-log-score.ts';
import { families } from '../families/index.ts';
import { detectCheckpointLayout } from './registry.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
const readJson = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
const folders = readdirSync(fixturesDir)
  .map((d) => join(fixturesDir, d))
  .filter((d) => existsSync(join(d, 'config.json')))
  .map((d) => ({ dir: d, kind: checkpointFamily(readJson(join(d, 'config.json'))) }))
  .filter((f) => f.kind === 'sedd' || f.kind === 'mdlm');

interface Case {
  name: string;
  inputs: { indices: number[][]; sigma: number[] };
  outputs: Record<string, number[][][]>;
}
const flat = (x: number[][][]) => Float64Array.from(x.flat(2), Math.fround);

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(() => shutdownBackend());

describe('sedd and mdlm layouts', () => {
  it('finds both kinds among the fixtures', () => {
    expect(folders.map((f) => f.kind)).toEqual(expect.arrayContaining(['sedd', 'mdlm']));
  });

  for (const { dir, kind } of folders) {
    it(`${dir.split('/').pop()} (${kind}): slots, and the backbone from init_from equals every case`, () => {
      const { layout, config, file, header } = detectCheckpointLayout(dir);
      expect(layout.name).toBe(kind);
      expect(layout.generation).toBeUndefined();
      const x = layout.experiment(dir, config, file);
      expect(x.model).toEqual({ name: 'dit', init_from: dir });
      expect(x.family.name).toBe(kind);
      const graph = (config['graph'] as { type?: string } | undefined)?.type;
      if (kind === 'sedd') {
        expect(x.family).toMatchObject({ graph, scale_by_sigma: graph === 'absorb', noise_removal: true });
        expect(x.sampling).toEqual({ predictor: 'euler', steps: 128 });
        expect(x.noise).toEqual({ name: 'loglinear' }); // noise.type loglinear (fixture configs)
        expect(x.vocab).toEqual({ size: graph === 'absorb' ? 41 : 40, maskId: graph === 'absorb' ? 40 : undefined });
        expect(header.maxLength).toBe(16);
      } else {
        expect(x.family).toEqual({ name: 'mdlm', time_conditioning: config['time_conditioning'] });
        expect(x.vocab).toEqual({ size: 41, maskId: 40 });
      }
      const timeConditioning = kind === 'sedd' ? true : x.family['time_conditioning'] === true;
      const net = buildBackbone(x.model, {
        family: kind!,
        accepted: ['dit'],
        vocabSize: x.vocab.size,
        timeConditioning,
        rng: Rng.seeded(5),
      });
      const cases = readJson(join(dir, 'cases.json')) as unknown as {
        tolerance: { rtol: number; atol: number };
        cases: Case[];
      };
      expect(cases.cases.length).toBeGreaterThan(0);
      for (const c of cases.cases) {
        const [b, l] = [c.inputs.indices.length, c.inputs.indices[0]!.length];
        const idx = Int32Array.from(c.inputs.indices.flat());
        const sigma = c.inputs.sigma.map(Math.fround);
        const got = tf.tidy(() => {
          const ids = tf.tensor2d(idx, [b, l], 'int32');
          const logits = net.forward(ids, tf.tensor1d(sigma));
          if (kind === 'sedd') {
            const scaleBySigma = x.family['scale_by_sigma'] === true;
            return { logits: seddLogScore(logits, ids, sigma, { scaleBySigma }) };
          }
          return { logits, subs_log_probs: subsLogProbs(logits, { data: idx, shape: [b, l] }, x.vocab.maskId!) };
        });
        expect(Object.keys(c.outputs).sort()).toEqual(Object.keys(got).sort());
        for (const [key, t] of Object.entries(got)) {
          const { rtol, atol } = cases.tolerance;
          assertAllClose(`${dir} ${c.name} ${key}`, t.dataSync(), flat(c.outputs[key]!), rtol, atol);
        }
        tf.dispose(Object.values(got));
      }
      // The family model of the slots (as openModel builds it) holds the same weights.
      const { name: noiseName, ...noiseKnobs } = x.noise;
      const { name: _, ...familyKnobs } = x.family;
      const model = families.get(kind!).build({
        family: familyKnobs,
        model: x.model,
        noise: buildSchedule(noiseName, noiseKnobs),
        vocab: x.vocab,
        rng: Rng.seeded(9),
      });
      expect(model.params.names()).toEqual(net.params.names());
      for (const n of net.params.names()) {
        expect(model.params.get(n).dataSync(), n).toEqual(net.params.get(n).dataSync());
      }
      model.dispose();
      net.dispose();
    });
  }

  it('SEDD noise: geometric keeps sigma_min/sigma_max; an unknown noise.type is a named error', () => {
    const dir = folders.find((f) => f.kind === 'sedd')!.dir;
    const { layout, config, file } = detectCheckpointLayout(dir);
    const geo = { ...config, noise: { type: 'geometric', sigma_min: 1e-4, sigma_max: 20 } };
    expect(layout.experiment(dir, geo, file).noise).toEqual({ name: 'geometric', sigma_min: 1e-4, sigma_max: 20 });
    const bad = { ...config, noise: { type: 'cosine' } };
    expect(() => layout.experiment(dir, bad, file)).toThrow(/noise\.type.*one of loglinear, geometric.*"cosine"/);
  });

  it('knobs written next to init_from must agree with the folder; init is refused', () => {
    const dir = folders.find((f) => f.kind === 'mdlm')!.dir;
    const build = (knobs: Record<string, unknown>) => () =>
      buildBackbone(
        { name: 'dit', init_from: dir, ...knobs },
        { family: 'mdlm', accepted: ['dit'], vocabSize: 41, timeConditioning: false, rng: Rng.seeded(1) },
      ).dispose();
    expect(build({ hidden_size: 32, n_blocks: 2, length: 16 })).not.toThrow();
    expect(build({ hidden_size: 64 })).toThrow(ConfigError);
    expect(build({ hidden_size: 64 })).toThrow(/model\.hidden_size.*32 \(as in .*config\.json\) or absent.*got 64/);
    expect(build({ n_heads: 4 })).toThrow(/model\.n_heads/);
    expect(build({ init: 'random' })).toThrow(/model\.init.*absent with model\.init_from/);
  });

  it('a vocabulary or time conditioning other than the folder is a named error', () => {
    const mdlm = folders.find(
      (f) => f.kind === 'mdlm' && readJson(join(f.dir, 'config.json'))['time_conditioning'] === false,
    )!;
    const opts = { family: 'mdlm', accepted: ['dit'], rng: Rng.seeded(1) } as const;
    const slot = { name: 'dit', init_from: mdlm.dir };
    expect(() => buildBackbone(slot, { ...opts, vocabSize: 42, timeConditioning: false })).toThrow(
      /42 embedding rows.*got 41 embedding rows/,
    );
    expect(() => buildBackbone(slot, { ...opts, vocabSize: 41, timeConditioning: true })).toThrow(
      /timeConditioning false \(as the checkpoint's config\)/,
    );
  });

  it('a folder whose config is neither SEDD nor MDLM cannot be a dit init_from', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlm-dit-init-'));
    const gpt2 = readdirSync(fixturesDir)
      .map((d) => join(fixturesDir, d))
      .find(
        (d) => existsSync(join(d, 'config.json')) && checkpointFamily(readJson(join(d, 'config.json'))) === 'gpt2',
      )!;
    copyFileSync(join(gpt2, 'config.json'), join(dir, 'config.json'));
    expect(() =>
      buildBackbone(
        { name: 'dit', init_from: dir },
        { family: 'mdlm', accepted: ['dit'], vocabSize: 41, timeConditioning: false, rng: Rng.seeded(1) },
      ),
    ).toThrow(/SEDD hydra config \(tokens, graph, model\) or model_type "mdlm".*"gpt2"/);
  });
});
