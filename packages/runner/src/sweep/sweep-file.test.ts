import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@dlm/core';
import { canonicalJson } from '../eval-out.ts';
import { experimentHash, planSweep } from './sweep-file.ts';
import { runSweep } from './run-sweep.ts';

const base = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../../experiments/quickstart/quickstart.yaml',
);
const tmp = mkdtempSync(join(tmpdir(), 'dlm-sweep-file-'));
let n = 0;
/** Writes a sweep file whose base is the quickstart; returns its path. */
function sweepFile(body: string): string {
  const f = join(tmp, `s${n++}.yaml`);
  writeFileSync(f, `base: ${base}\n${body}`);
  return f;
}
const badPlan = (body: string): ConfigError => {
  try {
    planSweep(sweepFile(body));
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('planSweep accepted a bad sweep');
};

describe('planSweep: expansion', () => {
  it('grid: the cartesian product, last axis fastest, values applied to the resolved experiment', () => {
    const p = planSweep(
      sweepFile('sweep:\n  axes:\n    optim.lr: [1.0e-3, 2.0e-3]\n    noise.name: [loglinear, cosine]\n'),
    );
    expect(p.mode).toBe('grid');
    expect(p.axes).toEqual(['optim.lr', 'noise.name']);
    expect(p.points.map((x) => x.overrides)).toEqual([
      { 'optim.lr': 1e-3, 'noise.name': 'loglinear' },
      { 'optim.lr': 1e-3, 'noise.name': 'cosine' },
      { 'optim.lr': 2e-3, 'noise.name': 'loglinear' },
      { 'optim.lr': 2e-3, 'noise.name': 'cosine' },
    ]);
    expect(p.points.map((x) => [x.experiment.optim.lr, x.experiment.noise.name])).toEqual([
      [1e-3, 'loglinear'],
      [1e-3, 'cosine'],
      [2e-3, 'loglinear'],
      [2e-3, 'cosine'],
    ]);
    expect(p.points.map((x) => x.dirName)).toEqual(p.points.map((x) => `${x.index}-${x.hash.slice(0, 8)}`));
    // Untouched values stay the base's.
    expect(p.points[3]!.experiment.model).toMatchObject({ hidden_size: 128, n_blocks: 2, length: 32 });
  });

  it('zip: the i-th value of every axis', () => {
    const p = planSweep(
      sweepFile(
        'sweep:\n  mode: zip\n  axes:\n    optim.lr: [1.0e-3, 2.0e-3, 4.0e-3]\n    loader.batch_size: [8, 16, 32]\n',
      ),
    );
    expect(p.points.map((x) => [x.experiment.optim.lr, x.experiment.loader.batch_size])).toEqual([
      [1e-3, 8],
      [2e-3, 16],
      [4e-3, 32],
    ]);
  });

  it('seeds: every point crossed with every seed, seeds innermost, written to the experiment seed', () => {
    const p = planSweep(sweepFile('sweep:\n  axes:\n    optim.lr: [1.0e-3, 2.0e-3]\n  seeds: [1, 2, 3]\n'));
    expect(p.axes).toEqual(['optim.lr', 'seed']);
    expect(p.points.map((x) => [x.experiment.optim.lr, x.experiment.seed])).toEqual([
      [1e-3, 1],
      [1e-3, 2],
      [1e-3, 3],
      [2e-3, 1],
      [2e-3, 2],
      [2e-3, 3],
    ]);
  });

  it('a value replaces a whole slot (family), zipped with a sampler of that family', () => {
    const p = planSweep(
      sweepFile(
        'sweep:\n  mode: zip\n  axes:\n    family: [{name: mdlm}, {name: sedd, graph: absorb}]\n' +
          '    sampling.predictor: [ddpm_cache, euler]\n',
      ),
    );
    expect(p.points[0]!.experiment.family.name).toBe('mdlm');
    expect(p.points[1]!.experiment.family).toMatchObject({ name: 'sedd', graph: 'absorb' });
    expect(p.points[1]!.experiment.sampling.predictor).toBe('euler');
  });

  it('random: n draws, reproducible from the seed, inside the ranges; another seed draws others', () => {
    const body = (seed: number) =>
      `sweep:\n  mode: random\n  n: 6\n  seed: ${seed}\n  axes:\n    optim.lr: {loguniform: [1.0e-4, 1.0e-2]}\n` +
      '    optim.beta1: {uniform: [0.8, 0.95]}\n    loader.batch_size: {int: [8, 10]}\n' +
      '    noise.name: {choice: [loglinear, cosine]}\n    trainer.ema: [0.9, 0.99]\n';
    const a = planSweep(sweepFile(body(7)));
    const b = planSweep(sweepFile(body(7)));
    const c = planSweep(sweepFile(body(8)));
    expect(a.points).toHaveLength(6);
    expect(a.points.map((x) => x.hash)).toEqual(b.points.map((x) => x.hash));
    expect(a.points.map((x) => x.overrides['optim.lr'])).not.toEqual(c.points.map((x) => x.overrides['optim.lr']));
    for (const { experiment: e } of a.points) {
      expect(e.optim.lr).toBeGreaterThanOrEqual(1e-4);
      expect(e.optim.lr).toBeLessThanOrEqual(1e-2);
      expect(e.optim.beta1).toBeGreaterThanOrEqual(0.8);
      expect(e.optim.beta1).toBeLessThanOrEqual(0.95);
      expect([8, 9, 10]).toContain(e.loader.batch_size);
      expect(['loglinear', 'cosine']).toContain(e.noise.name);
      expect([0.9, 0.99]).toContain(e.trainer.ema);
    }
  });

  it('set: fixed values on every point, not an axis', () => {
    const p = planSweep(sweepFile('set: {trainer.max_steps: 20}\nsweep:\n  axes:\n    optim.lr: [1.0e-3, 2.0e-3]\n'));
    expect(p.axes).toEqual(['optim.lr']);
    expect(p.points.map((x) => x.experiment.trainer.max_steps)).toEqual([20, 20]);
  });
});

describe('point hashes', () => {
  const one = (extra: string) => planSweep(sweepFile(`${extra}sweep:\n  axes:\n    optim.lr: [1.0e-3]\n`)).points[0]!;
  it('are the sha256 of the canonical JSON of the experiment without name and runs_dir', () => {
    const p = one('');
    const { name: _n, runs_dir: _r, ...rest } = p.experiment;
    expect(p.hash).toBe(createHash('sha256').update(canonicalJson(rest)).digest('hex'));
    expect(p.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(experimentHash(p.experiment)).toBe(p.hash);
  });
  it('are stable across plans and independent of name and runs_dir, and change with a value', () => {
    const a = one('');
    expect(one('').hash).toBe(a.hash);
    expect(one('set: {name: other, runs_dir: elsewhere}\n').hash).toBe(a.hash);
    expect(one('set: {trainer.max_steps: 21}\n').hash).not.toBe(a.hash);
  });
});

describe('planSweep: bad inputs are named before anything runs', () => {
  it('zip axes of different lengths', () => {
    const e = badPlan('sweep:\n  mode: zip\n  axes:\n    optim.lr: [1.0e-3, 2.0e-3]\n    seed: [1, 2, 3]\n');
    expect(e.message).toContain('sweep.axes');
    expect(e.message).toContain('zip axes of equal lengths');
    expect(e.message).toContain('optim.lr 2, seed 3');
  });
  it('an axis key that does not exist: the point and the key', () => {
    const e = badPlan('sweep:\n  axes:\n    optim.lrr: [1.0e-3]\n');
    expect(e.message).toContain('point 0 (optim.lrr = 0.001)');
    expect(e.message).toContain('nearest valid key: lr');
  });
  it('a value of the wrong type: the point and the key', () => {
    const e = badPlan('sweep:\n  axes:\n    optim.lr: [1.0e-3, fast]\n');
    expect(e.message).toContain('point 1 (optim.lr = "fast")');
    expect(e.message).toContain('wrong type');
  });
  it('a value that fails a cross-check of the experiment (a sampler of another family)', () => {
    const e = badPlan('sweep:\n  axes:\n    family: [{name: sedd, graph: absorb}]\n');
    expect(e.message).toContain('point 0');
    expect(e.message).toContain('sampling.predictor');
  });
  it('an empty axis', () => {
    const e = badPlan('sweep:\n  axes:\n    optim.lr: []\n');
    expect(e.message).toContain('sweep.axes.optim.lr is an empty axis');
  });
  it('random mode without n', () => {
    const e = badPlan('sweep:\n  mode: random\n  axes:\n    optim.lr: {uniform: [1.0e-4, 1.0e-3]}\n');
    expect(e.message).toContain('sweep.n');
    expect(e.message).toContain('number of points to draw');
  });
  it('a random spec outside random mode, a reversed range, an unknown mode', () => {
    expect(badPlan('sweep:\n  axes:\n    optim.lr: {uniform: [1.0e-4, 1.0e-3]}\n').message).toContain(
      'a list of values in grid mode',
    );
    expect(
      badPlan('sweep:\n  mode: random\n  n: 2\n  axes:\n    optim.lr: {uniform: [1.0e-3, 1.0e-4]}\n').message,
    ).toContain('a <= b');
    expect(badPlan('sweep:\n  mode: grit\n').message).toContain('sweep.mode');
  });
  it('a missing base file', () => {
    const f = join(tmp, 'nobase.yaml');
    writeFileSync(f, 'base: nowhere.yaml\nsweep: {}\n');
    expect(() => planSweep(f)).toThrow(/base.*an existing experiment YAML/);
  });
  it('dlm sweep run with a bad point makes no sweep directory', async () => {
    const out = join(tmp, 'never');
    const f = sweepFile('sweep:\n  axes:\n    optim.lr: [1.0e-3, fast]\n');
    await expect(runSweep(f, { out, log: () => {} })).rejects.toThrow(/point 1/);
    expect(existsSync(out)).toBe(false);
  });
});
