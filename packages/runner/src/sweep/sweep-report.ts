// `dlm sweep report <sweep-dir>`: the final numbers of every point, and their mean ± standard error over seeds.
//   results.arrow / results.csv   one row per point: index, dir, state, one column per axis, the metrics below
//   results.md                    the per-point table, then one row per setting (the overrides without `seed`):
//                                 mean ± s.e. over its seeds (meanStderr of @dlm/eval: ddof 1 over √n) and n
//   plots/<metric>-vs-<axis>.svg/.png   the metric (mean over seeds) against a swept axis, one line per value of
//                                 another axis (`--x`, `--by`, `--metric`; defaults: the first numeric axis, the
//                                 next one, the evaluation's bits/token)
//   evals-<verb>.{arrow,csv,md}   the `evals:` variants of every point (sweep-eval-report.ts), with their plots
// Numbers come from the point directories only: metrics.jsonl (last validation row, last train loss, tokens/s),
// evals/default/results.json (the default evaluation) and attempts.jsonl (wall clock of all attempts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { ConfigError } from '@dlm/core';
import { meanStderr } from '@dlm/eval';
import { MetricsLog } from '../metrics.ts';
import { lineChartPng, lineChartSvg, type Series } from '../plot.ts';
import { canonicalJson } from '../eval-out.ts';
import { ATTEMPTS_FILE, EVAL_RESULTS, pointDir, type PointRecord } from './sweep-dir.ts';

export const REPORT_METRICS = [
  'steps',
  'final_train_loss',
  'val_nats_per_token',
  'val_bits_per_token',
  'val_perplexity',
  'eval_nats_per_token',
  'eval_bits_per_token',
  'eval_perplexity',
  'eval_stderr_nats_per_token',
  'tokens_per_sec',
  'wall_clock_s',
] as const;
export type ReportMetric = (typeof REPORT_METRICS)[number];
/** Columns that measure time, not the model: they differ between two runs of the same sweep. */
export const TIMING_METRICS: readonly ReportMetric[] = ['tokens_per_sec', 'wall_clock_s'];

/** One row of a report: a point (or a point × eval variant, sweep-eval-report.ts) and its numbers. */
export interface ResultRow<M extends string = ReportMetric> {
  index: number;
  dir: string;
  state: string;
  overrides: Record<string, unknown>;
  metrics: Record<M, number>;
}
export type PointResult = ResultRow<ReportMetric>;

export interface GroupResult<M extends string = ReportMetric> {
  /** The overrides without `seed`. */
  setting: Record<string, unknown>;
  seeds: unknown[];
  stats: Record<M, { mean: number; stderr: number; n: number }>;
}

export interface SweepReport {
  dir: string;
  axes: string[];
  points: PointResult[];
  groups: GroupResult[];
  plots: string[];
}

function readJson(file: string): Record<string, unknown> | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);

/** The final numbers of one point from its files (NaN where a number is missing). */
export function pointResult(dir: string, p: PointRecord): PointResult {
  const pdir = pointDir(dir, p);
  const rows = new MetricsLog(join(pdir, 'metrics.jsonl')).read();
  const train = rows.filter((r) => r.split === 'train');
  const val = rows.filter((r) => r.split === 'val').at(-1);
  const ev = readJson(join(pdir, EVAL_RESULTS));
  const tps = train.map((r) => num(r['tokens_per_sec'])).filter(Number.isFinite);
  const attemptsFile = join(pdir, ATTEMPTS_FILE);
  const attempts = existsSync(attemptsFile)
    ? readFileSync(attemptsFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => num((JSON.parse(l) as { seconds: unknown }).seconds))
    : [];
  const metrics: Record<ReportMetric, number> = {
    steps: train.at(-1)?.step ?? NaN,
    final_train_loss: num(train.at(-1)?.['loss']),
    val_nats_per_token: num(val?.['nll']),
    val_bits_per_token: num(val?.['bpt']),
    val_perplexity: num(val?.['ppl']),
    eval_nats_per_token: num(ev?.['natsPerToken']),
    eval_bits_per_token: num(ev?.['bitsPerToken']),
    eval_perplexity: num(ev?.['perplexity']),
    eval_stderr_nats_per_token: num(ev?.['stderrNatsPerToken']),
    tokens_per_sec: tps.length ? tps.reduce((a, b) => a + b, 0) / tps.length : NaN,
    wall_clock_s: attempts.length ? attempts.reduce((a, b) => a + b, 0) : NaN,
  };
  return { index: p.index, dir: p.dir, state: p.state, overrides: p.overrides, metrics };
}

/** Rows grouped by their overrides without `seed`, in plan order; stats of `metrics` over the finite values. */
export function groupBySetting<M extends string = ReportMetric>(
  points: readonly ResultRow<M>[],
  metrics: readonly M[] = REPORT_METRICS as readonly string[] as readonly M[],
): GroupResult<M>[] {
  const groups = new Map<string, ResultRow<M>[]>();
  for (const p of points) {
    const { seed: _seed, ...setting } = p.overrides;
    const key = canonicalJson(setting);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((ps) => {
    const { seed: _seed, ...setting } = ps[0]!.overrides;
    const stats = Object.fromEntries(
      metrics.map((m) => [m, meanStderr(ps.map((p) => p.metrics[m]).filter(Number.isFinite))]),
    ) as GroupResult<M>['stats'];
    return { setting, seeds: ps.map((p) => p.overrides['seed']), stats };
  });
}

/** A cell: strings as they are, other values as compact JSON. */
export const cell = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
export const csvCell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
/** Decimals for a table number: 0 from 1000 up (throughputs, seconds of long runs), else 4. */
const decimalsOf = (x: number): number => (Math.abs(x) >= 1000 ? 0 : 4);
/** A number for tables ('' when missing); `decimals` default decimalsOf(x). */
export function fmtNum(x: number, decimals = decimalsOf(x)): string {
  return Number.isFinite(x) ? x.toFixed(decimals) : '';
}
const fmtMetric = (m: ReportMetric, x: number): string => (m === 'steps' && Number.isFinite(x) ? String(x) : fmtNum(x));

export function axisColumn(points: readonly ResultRow<string>[], key: string): (number | null)[] | string[] {
  const vs = points.map((p) => p.overrides[key]);
  return vs.every((v) => typeof v === 'number' || v === undefined)
    ? vs.map((v) => (v === undefined ? null : (v as number)))
    : vs.map(cell);
}

export function resultsCsv(axes: readonly string[], points: readonly PointResult[]): string {
  const head = ['index', 'dir', 'state', ...axes, ...REPORT_METRICS];
  const rows = points.map((p) => [
    String(p.index),
    p.dir,
    p.state,
    ...axes.map((a) => cell(p.overrides[a])),
    ...REPORT_METRICS.map((m) => (Number.isFinite(p.metrics[m]) ? String(p.metrics[m]) : '')),
  ]);
  return [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

export function resultsArrow(axes: readonly string[], points: readonly PointResult[]): Uint8Array {
  const cols: Record<string, unknown> = {
    index: Int32Array.from(points.map((p) => p.index)),
    dir: points.map((p) => p.dir),
    state: points.map((p) => p.state),
  };
  for (const a of axes) cols[a] = axisColumn(points, a);
  for (const m of REPORT_METRICS) cols[m] = Float64Array.from(points.map((p) => p.metrics[m]));
  return tableToIPC(tableFromArrays(cols as Parameters<typeof tableFromArrays>[0]), 'file');
}

const MD_POINT_METRICS: readonly ReportMetric[] = [
  'steps',
  'val_bits_per_token',
  'eval_bits_per_token',
  'eval_perplexity',
  'final_train_loss',
  'tokens_per_sec',
  'wall_clock_s',
];
const MD_GROUP_METRICS: readonly ReportMetric[] = [
  'val_bits_per_token',
  'eval_bits_per_token',
  'eval_perplexity',
  'final_train_loss',
  'tokens_per_sec',
  'wall_clock_s',
];

export function mdTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (r: readonly string[]) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export function resultsMd(name: string, axes: readonly string[], r: Omit<SweepReport, 'dir'>): string {
  const settingAxes = axes.filter((a) => a !== 'seed');
  const pm = (s: { mean: number; stderr: number; n: number }) =>
    s.n === 0 ? '' : s.n === 1 ? fmtNum(s.mean) : `${fmtNum(s.mean)} ± ${fmtNum(s.stderr, decimalsOf(s.mean))}`;
  const lines = [
    `# Sweep ${name}`,
    '',
    `${r.points.length} points, ${r.points.filter((p) => p.state === 'done').length} done. ` +
      'bits/token: validation bound of the last validation during training (val) and of the default evaluation ' +
      '(eval, `dlm eval`); tokens/s: mean training throughput; wall clock: all run-point attempts.',
    '',
    '## Mean ± standard error over seeds',
    '',
    mdTable(
      [...settingAxes, 'n', ...MD_GROUP_METRICS],
      r.groups.map((g) => [
        ...settingAxes.map((a) => cell(g.setting[a])),
        String(Math.max(...MD_GROUP_METRICS.map((m) => g.stats[m].n))),
        ...MD_GROUP_METRICS.map((m) => pm(g.stats[m])),
      ]),
    ),
    '',
    '## Points',
    '',
    mdTable(
      ['index', 'state', ...axes, ...MD_POINT_METRICS],
      r.points.map((p) => [
        String(p.index),
        p.state,
        ...axes.map((a) => cell(p.overrides[a])),
        ...MD_POINT_METRICS.map((m) => fmtMetric(m, p.metrics[m])),
      ]),
    ),
  ];
  if (r.plots.length) lines.push('', '## Plots', '', ...r.plots.map((f) => `- ${f}`));
  return `${lines.join('\n')}\n`;
}

export interface PlotChoice<M extends string = ReportMetric> {
  x?: string | undefined;
  by?: string | undefined;
  metric?: M | undefined;
}

/** The axes that vary (two values or more), seed excluded. */
function varying(axes: readonly string[], points: readonly ResultRow<string>[]): string[] {
  return axes.filter((a) => a !== 'seed' && new Set(points.map((p) => canonicalJson(p.overrides[a] ?? null))).size > 1);
}

/** The plot of `metric` (mean over seeds) against `x`, one series per value of `by`; undefined when nothing varies. */
export function sweepPlot<M extends string = ReportMetric>(
  axes: readonly string[],
  points: readonly ResultRow<M>[],
  groups: readonly GroupResult<M>[],
  c: PlotChoice<M>,
): { name: string; svg: string; png: Uint8Array } | undefined {
  const vary = varying(axes, points);
  for (const [flag, key] of [
    ['--x', c.x],
    ['--by', c.by],
  ] as const) {
    if (key !== undefined && !axes.includes(key)) {
      throw new ConfigError({ op: 'sweep report', arg: flag, expected: `a swept axis: ${axes.join(', ')}`, got: key });
    }
  }
  const numeric = (a: string) => points.every((p) => typeof p.overrides[a] === 'number');
  const x = c.x ?? vary.find(numeric) ?? vary[0];
  if (x === undefined) return undefined;
  const by = c.by ?? vary.find((a) => a !== x);
  const has = (m: string) => points.some((p) => Number.isFinite((p.metrics as Record<string, number>)[m]));
  const metric = c.metric ?? ((has('eval_bits_per_token') ? 'eval_bits_per_token' : 'val_bits_per_token') as M);
  const xs = [...new Set(points.map((p) => canonicalJson(p.overrides[x] ?? null)))].map(
    (s) => JSON.parse(s) as unknown,
  );
  const isNum = xs.every((v) => typeof v === 'number');
  const values = xs as number[];
  const log = isNum && values.every((v) => v > 0) && Math.max(...values) / Math.min(...values) >= 10;
  const xOf = (v: unknown): number =>
    isNum
      ? log
        ? Math.log10(v as number)
        : (v as number)
      : xs.findIndex((u) => canonicalJson(u) === canonicalJson(v));
  const lines = by === undefined ? [undefined] : [...new Set(groups.map((g) => canonicalJson(g.setting[by] ?? null)))];
  const series: Series[] = lines.map((line) => {
    const gs = groups.filter((g) => line === undefined || canonicalJson(g.setting[by!] ?? null) === line);
    const pts = gs
      .map((g) => [xOf(g.setting[x]), g.stats[metric].mean] as const)
      .filter(([, y]) => Number.isFinite(y))
      .sort((a, b) => a[0] - b[0]);
    return { name: line === undefined ? metric : `${by} = ${cell(JSON.parse(line))}`, points: pts };
  });
  const xLabel = isNum ? (log ? `log10 ${x}` : x) : `${x}: ${xs.map((v, i) => `${i} = ${cell(v)}`).join(', ')}`;
  const opts = { title: `${metric} (mean over seeds) vs ${x}`, xLabel, yLabel: metric, xRange: 'data' as const };
  return {
    name: `${metric}-vs-${x}`.replace(/[^A-Za-z0-9._-]/g, '_'),
    svg: lineChartSvg(series, opts),
    png: lineChartPng(series, opts),
  };
}
