import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { writeRunState } from '../run-state.ts';
import { ATTEMPTS_FILE, EVAL_RESULTS, POINTS_FILE, type PointRecord } from './sweep-dir.ts';
import { groupBySetting, pointResult, resultsCsv, sweepPlot, type PointResult } from './sweep-report.ts';
import { writeSweepReport } from './write-sweep-report.ts';

const NAN_METRICS = {
  steps: 20,
  final_train_loss: NaN,
  val_nats_per_token: NaN,
  val_bits_per_token: NaN,
  val_perplexity: NaN,
  eval_nats_per_token: NaN,
  eval_bits_per_token: NaN,
  eval_perplexity: NaN,
  eval_stderr_nats_per_token: NaN,
  tokens_per_sec: NaN,
  wall_clock_s: NaN,
};
const result = (index: number, overrides: Record<string, unknown>, bpt: number): PointResult => ({
  index,
  dir: `${index}-x`,
  state: 'done',
  overrides,
  metrics: { ...NAN_METRICS, eval_bits_per_token: bpt },
});

describe('groupBySetting', () => {
  it('mean ± standard error (ddof 1 over √n) over the seeds of each setting, in plan order', () => {
    const points = [
      result(0, { 'optim.lr': 1e-3, seed: 1 }, 5),
      result(1, { 'optim.lr': 1e-3, seed: 2 }, 6),
      result(2, { 'optim.lr': 1e-3, seed: 3 }, 7),
      result(3, { 'optim.lr': 2e-3, seed: 1 }, 4),
    ];
    const g = groupBySetting(points);
    expect(g.map((x) => x.setting)).toEqual([{ 'optim.lr': 1e-3 }, { 'optim.lr': 2e-3 }]);
    expect(g[0]!.seeds).toEqual([1, 2, 3]);
    // mean 6, sd 1, s.e. 1/√3
    expect(g[0]!.stats.eval_bits_per_token.mean).toBe(6);
    expect(g[0]!.stats.eval_bits_per_token.stderr).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(g[1]!.stats.eval_bits_per_token).toMatchObject({ mean: 4, n: 1 });
    expect(g[0]!.stats.final_train_loss.n).toBe(0);
  });
});

describe('sweepPlot', () => {
  const points = [
    result(0, { 'optim.lr': 1e-4, 'noise.name': 'loglinear' }, 6),
    result(1, { 'optim.lr': 1e-4, 'noise.name': 'cosine' }, 7),
    result(2, { 'optim.lr': 1e-2, 'noise.name': 'loglinear' }, 5),
    result(3, { 'optim.lr': 1e-2, 'noise.name': 'cosine' }, 5.5),
  ];
  const axes = ['optim.lr', 'noise.name'];
  it('the numeric axis on x (log10 when it spans a decade or more), one line per value of the other', () => {
    const p = sweepPlot(axes, points, groupBySetting(points), {})!;
    expect(p.name).toBe('eval_bits_per_token-vs-optim.lr');
    expect(p.svg).toContain('log10 optim.lr');
    expect(p.svg).toContain('noise.name = loglinear');
    expect(p.svg).toContain('noise.name = cosine');
    expect(p.svg.match(/<polyline/g)).toHaveLength(2);
    expect([...p.png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  });
  it('a categorical x is numbered; an unknown --x is named', () => {
    const p = sweepPlot(axes, points, groupBySetting(points), { x: 'noise.name' })!;
    expect(p.svg).toContain('noise.name: 0 = loglinear, 1 = cosine');
    expect(() => sweepPlot(axes, points, groupBySetting(points), { x: 'optim.lrr' })).toThrow(
      /--x.*a swept axis: optim.lr, noise.name.*optim.lrr/,
    );
  });
  it('no plot when only seeds vary', () => {
    const only = [result(0, { seed: 1 }, 5), result(1, { seed: 2 }, 6)];
    expect(sweepPlot(['seed'], only, groupBySetting(only), {})).toBeUndefined();
  });
});

describe('writeSweepReport on a sweep directory', () => {
  it('reads each point from its files and writes results.csv / .arrow / .md', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlm-sweep-report-'));
    writeFileSync(join(dir, 'sweep.yaml'), 'name: t\naxes:\n  - optim.lr\n  - seed\n');
    const recs: PointRecord[] = [
      { index: 0, hash: 'a', dir: '0-a', overrides: { 'optim.lr': 1e-3, seed: 1 }, state: 'pending' },
      { index: 1, hash: 'b', dir: '1-b', overrides: { 'optim.lr': 1e-3, seed: 2 }, state: 'pending' },
    ];
    writeFileSync(join(dir, POINTS_FILE), recs.map((r) => `${JSON.stringify(r)}\n`).join(''));
    recs.forEach((r, i) => {
      const pdir = join(dir, 'points', r.dir);
      mkdirSync(join(pdir, 'evals', 'default'), { recursive: true });
      const rows = [
        { step: 10, split: 'train', loss: 3, tokens_per_sec: 100 },
        { step: 20, split: 'train', loss: 2.5 + i, tokens_per_sec: 300 },
        { step: 20, split: 'val', nll: 3.5, ppl: 33, bpt: 5 + i },
      ];
      writeFileSync(join(pdir, 'metrics.jsonl'), rows.map((x) => `${JSON.stringify(x)}\n`).join(''));
      writeFileSync(
        join(pdir, EVAL_RESULTS),
        JSON.stringify({ natsPerToken: 4, bitsPerToken: 6 + 2 * i, perplexity: 60 }),
      );
      writeFileSync(join(pdir, ATTEMPTS_FILE), '{"seconds": 1.5}\n{"seconds": 2}\n');
      writeRunState(pdir, { state: 'done', step: 20, maxSteps: 20 });
    });
    const r = writeSweepReport(dir);
    expect(r.points.map((p) => p.state)).toEqual(['done', 'done']);
    expect(pointResult(dir, { ...recs[0]!, state: 'done' }).metrics).toMatchObject({
      steps: 20,
      final_train_loss: 2.5,
      val_bits_per_token: 5,
      eval_bits_per_token: 6,
      tokens_per_sec: 200,
      wall_clock_s: 3.5,
    });
    const csv = readFileSync(join(dir, 'results.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe(
      'index,dir,state,optim.lr,seed,steps,final_train_loss,val_nats_per_token,val_bits_per_token,val_perplexity,' +
        'eval_nats_per_token,eval_bits_per_token,eval_perplexity,eval_stderr_nats_per_token,tokens_per_sec,wall_clock_s',
    );
    expect(csv[2]).toBe('1,1-b,done,0.001,2,20,3.5,3.5,6,33,4,8,60,,200,3.5');
    const md = readFileSync(join(dir, 'results.md'), 'utf8');
    expect(md).toContain('| 0.001 | 2 | 5.5000 ± 0.5000 | 7.0000 ± 1.0000 | 60.0000 ± 0.0000 |');
    const t = tableFromIPC(readFileSync(join(dir, 'results.arrow')));
    expect(t.numRows).toBe(2);
    expect(t.getChild('eval_bits_per_token')!.toArray()).toEqual(Float64Array.of(6, 8));
    expect(t.getChild('optim.lr')!.get(1)).toBe(1e-3);
  });
  it('quotes CSV cells holding commas (slot values)', () => {
    const csv = resultsCsv(['family'], [result(0, { family: { name: 'sedd', graph: 'absorb' } }, 1)]);
    expect(csv.split('\n')[1]!.startsWith('0,0-x,done,"{""name"":""sedd"",""graph"":""absorb""}",20,')).toBe(true);
  });
});
