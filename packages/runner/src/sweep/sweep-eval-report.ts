// The `evals:` part of `dlm sweep report` (variants of sweep-evals.ts): one row per point × variant.
//   evals-<verb>.arrow / .csv index, dir, state, variant, one column per point axis, `eval.<key>` per eval axis,
//                             the verb's metrics (gen-ppl: gen_perplexity, entropy, distinct_2, self_bleu, nfe,
//                             sampling_s, sampling_tokens_per_sec)
//   evals-<verb>.md (also appended to results.md)   mean ± s.e. over seeds per (setting, variant), then the rows
//   plots/<metric>-vs-eval.<x>.svg/.png   each of the verb's plot metrics against the first numeric eval axis,
//                             one line per value of the next varying axis (e.g. gen_perplexity vs steps by sampler)
import { existsSync, readFileSync } from 'node:fs';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { SWEEP_EVALS, variantResults, type EvalVariant } from './sweep-evals.ts';
import { pointDir, type PointRecord } from './sweep-dir.ts';
import {
  axisColumn,
  cell,
  csvCell,
  fmtNum,
  groupBySetting,
  mdTable,
  sweepPlot,
  type GroupResult,
  type ResultRow,
} from './sweep-report.ts';

/** The report of one verb's variants. */
export interface SweepEvalReport {
  verb: string;
  /** Point axes, then `eval.<key>` for each eval axis. */
  axes: string[];
  metrics: readonly string[];
  rows: ResultRow<string>[];
  groups: GroupResult<string>[];
  plots: { name: string; svg: string; png: Uint8Array }[];
}

const evalKey = (k: string) => `eval.${k}`;

/** Rows of every point × variant of one verb, read from the point directories (NaN where results are missing). */
export function evalRows(
  dir: string,
  points: readonly PointRecord[],
  variants: readonly EvalVariant[],
): ResultRow<string>[] {
  const def = SWEEP_EVALS.get(variants[0]!.verb);
  return points.flatMap((p) =>
    variants.map((v) => {
      const f = variantResults(pointDir(dir, p), v);
      const results = existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>) : undefined;
      const metrics = results ? def.read(results) : Object.fromEntries(def.metrics.map((m) => [m, NaN] as const));
      const overrides = {
        ...p.overrides,
        variant: v.id,
        ...Object.fromEntries(Object.entries(v.axes).map(([k, x]) => [evalKey(k), x])),
      };
      return { index: p.index, dir: p.dir, state: results ? 'done' : 'pending', overrides, metrics };
    }),
  );
}

/** One report per verb of the sweep's variants. */
export function evalReports(
  dir: string,
  pointAxes: readonly string[],
  points: readonly PointRecord[],
  variants: readonly EvalVariant[],
): SweepEvalReport[] {
  const verbs = [...new Set(variants.map((v) => v.verb))];
  return verbs.map((verb) => {
    const vs = variants.filter((v) => v.verb === verb);
    const def = SWEEP_EVALS.get(verb);
    const evalAxes = [...new Set(vs.flatMap((v) => Object.keys(v.axes)))].map(evalKey);
    const axes = [...pointAxes, ...evalAxes];
    const rows = evalRows(dir, points, vs);
    const groups = groupBySetting(rows, def.metrics);
    const numeric = evalAxes.find((a) => rows.every((r) => typeof r.overrides[a] === 'number'));
    const x = numeric ?? evalAxes[0];
    const plots =
      x === undefined
        ? []
        : def.plots.flatMap((metric) => {
            const p = sweepPlot(axes, rows, groups, { x, metric });
            return p ? [p] : [];
          });
    return { verb, axes, metrics: def.metrics, rows, groups, plots };
  });
}

export function evalCsv(r: SweepEvalReport): string {
  const head = ['index', 'dir', 'state', 'variant', ...r.axes, ...r.metrics];
  const lines = r.rows.map((row) => [
    String(row.index),
    row.dir,
    row.state,
    cell(row.overrides['variant']),
    ...r.axes.map((a) => cell(row.overrides[a])),
    ...r.metrics.map((m) => (Number.isFinite(row.metrics[m]) ? String(row.metrics[m]) : '')),
  ]);
  return [head, ...lines].map((l) => l.map(csvCell).join(',')).join('\n') + '\n';
}

export function evalArrow(r: SweepEvalReport): Uint8Array {
  const cols: Record<string, unknown> = {
    index: Int32Array.from(r.rows.map((row) => row.index)),
    dir: r.rows.map((row) => row.dir),
    state: r.rows.map((row) => row.state),
    variant: r.rows.map((row) => cell(row.overrides['variant'])),
  };
  for (const a of r.axes) cols[a] = axisColumn(r.rows, a);
  for (const m of r.metrics) cols[m] = Float64Array.from(r.rows.map((row) => row.metrics[m]!));
  return tableToIPC(tableFromArrays(cols as Parameters<typeof tableFromArrays>[0]), 'file');
}

export function evalMd(r: SweepEvalReport): string {
  const settingAxes = r.axes.filter((a) => a !== 'seed');
  const pm = (s: { mean: number; stderr: number; n: number }) =>
    s.n === 0 ? '' : s.n === 1 ? fmtNum(s.mean) : `${fmtNum(s.mean)} ± ${fmtNum(s.stderr)}`;
  const groups = r.groups.map((g) => [
    ...settingAxes.map((a) => cell(g.setting[a])),
    String(Math.max(...r.metrics.map((m) => g.stats[m]!.n))),
    ...r.metrics.map((m) => pm(g.stats[m]!)),
  ]);
  const rows = r.rows.map((row) => [
    String(row.index),
    row.state,
    ...r.axes.map((a) => cell(row.overrides[a])),
    ...r.metrics.map((m) => fmtNum(row.metrics[m]!)),
  ]);
  return [
    `## Evaluations: ${r.verb}`,
    '',
    `${r.rows.filter((x) => x.state === 'done').length} of ${r.rows.length} point × variant results. Mean ± standard error over seeds:`,
    '',
    mdTable([...settingAxes, 'n', ...r.metrics], groups),
    '',
    mdTable(['index', 'state', ...r.axes, ...r.metrics], rows),
  ].join('\n');
}
