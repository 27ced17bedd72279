import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { parse } from 'yaml';
import { planSweep } from './sweep-file.ts';
import { POINT_YAML, pointDir, prepareSweepDir, readPoints } from './sweep-dir.ts';
import { threadsPerWorker } from './local-executor.ts';

const base = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../../experiments/quickstart/quickstart.yaml',
);
const tmp = mkdtempSync(join(tmpdir(), 'dlm-sweep-dir-'));
const plan = (lrs: string) => {
  const f = join(tmp, `s-${lrs.replace(/\W/g, '')}.yaml`);
  writeFileSync(f, `name: t\nbase: ${base}\nsweep:\n  axes:\n    optim.lr: [${lrs}]\n  seeds: [1, 2]\n`);
  return planSweep(f);
};

describe('prepareSweepDir', () => {
  it('writes sweep.yaml, points.jsonl / points.arrow and one point.yaml per point', () => {
    const p = plan('1.0e-3, 2.0e-3');
    const dir = join(tmp, 'a');
    prepareSweepDir(dir, p);
    const doc = parse(readFileSync(join(dir, 'sweep.yaml'), 'utf8')) as Record<string, unknown>;
    expect(doc).toMatchObject({ name: 't', base, mode: 'grid', axes: ['optim.lr', 'seed'] });
    expect((doc['points'] as unknown[]).length).toBe(4);
    const recs = readPoints(dir);
    expect(recs.map((r) => [r.index, r.dir, r.state])).toEqual(p.points.map((x) => [x.index, x.dirName, 'pending']));
    expect(recs[3]!.overrides).toEqual({ 'optim.lr': 2e-3, seed: 2 });
    const t = tableFromIPC(readFileSync(join(dir, 'points.arrow')));
    expect(t.getChild('hash')!.get(2)).toBe(p.points[2]!.hash);
    expect(JSON.parse(t.getChild('overrides')!.get(2) as string)).toEqual({ 'optim.lr': 2e-3, seed: 1 });
    const yaml = parse(readFileSync(join(pointDir(dir, p.points[1]!), POINT_YAML), 'utf8')) as {
      seed: number;
      optim: { lr: number };
    };
    expect([yaml.seed, yaml.optim.lr]).toEqual([2, 1e-3]);
  });
  it('continues a directory of the same sweep, and refuses one of another sweep by name', () => {
    const dir = join(tmp, 'b');
    prepareSweepDir(dir, plan('1.0e-3, 2.0e-3'));
    expect(() => prepareSweepDir(dir, plan('1.0e-3, 2.0e-3'))).not.toThrow();
    expect(() => prepareSweepDir(dir, plan('1.0e-3, 3.0e-3'))).toThrow(
      /--out .*holds another sweep, expected a new directory, or one holding the same 4 points, got 4 points, point 2 differs/,
    );
    expect(existsSync(join(dir, 'points', `2-${plan('1.0e-3, 3.0e-3').points[2]!.hash8}`))).toBe(false);
  });
});

describe('threadsPerWorker', () => {
  it('splits the cores (DLM_THREADS when set) between the workers, at least 1 each', () => {
    expect(threadsPerWorker(2, { DLM_THREADS: '8' })).toBe(4);
    expect(threadsPerWorker(3, { DLM_THREADS: '8' })).toBe(2);
    expect(threadsPerWorker(4, { DLM_THREADS: '2' })).toBe(1);
    expect(threadsPerWorker(1, { DLM_THREADS: '1' })).toBe(1);
  });
});
