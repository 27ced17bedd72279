// `dlm sweep run` and the text of `plan` / `status`: plan every point (all validated before anything runs), make or
// continue the sweep directory, hand it to the executor.
import { resolve } from 'node:path';
import { executors } from './executors.ts';
import { planSweep } from './sweep-file.ts';
import { defaultSweepDir, pointDir, prepareSweepDir, type PointRecord } from './sweep-dir.ts';
import { pointError } from './run-point.ts';
import type { PlannedSweep } from './types.ts';
import { variantEvaluators } from './sweep-evals.ts';
import { evaluatorTrained, trainEvaluators } from './sweep-evaluators.ts';

export interface RunSweepOptions {
  /** Sweep directory to make or continue (default sweeps/<name>-<time>). */
  out?: string;
  executor?: string;
  parallel?: number;
  log: (line: string) => void;
  /** Runs the evaluator training (the CLI: inside an initialised tensor backend); default: directly. */
  withBackend?: (f: () => Promise<void>) => Promise<void>;
}

/** Plans, prepares the directory and runs the pending points; returns the sweep directory. */
export async function runSweep(file: string, o: RunSweepOptions): Promise<string> {
  const executor = executors.get(o.executor ?? 'local');
  const plan = planSweep(file);
  const dir = resolve(o.out ?? defaultSweepDir(plan.name));
  executor.check?.(plan); // nothing is written when the executor cannot run
  prepareSweepDir(dir, plan);
  o.log(`sweep ${plan.name}: ${plan.points.length} points (${plan.mode}) → ${dir}`);
  const evaluators = variantEvaluators(plan.evals).filter((e) => !evaluatorTrained(dir, e));
  if (evaluators.length) {
    const train = () => trainEvaluators(dir, evaluators, o.log);
    await (o.withBackend ? o.withBackend(train) : train());
  }
  await executor.run(dir, plan, { parallel: o.parallel ?? 1, log: o.log });
  return dir;
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** A plain-text table: columns padded to their widest cell. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function formatPlan(plan: PlannedSweep): string {
  const rows = plan.points.map((p) => [String(p.index), p.hash8, ...plan.axes.map((a) => show(p.overrides[a]))]);
  const head = `sweep ${plan.name} (${plan.mode}): ${plan.points.length} points over ${plan.axes.join(', ') || 'no axes'}; base ${plan.baseFile}`;
  const table = `${head}\n${textTable(['index', 'hash8', ...plan.axes], rows)}`;
  if (!plan.evals.length) return table;
  const keys = [...new Set(plan.evals.flatMap((v) => Object.keys(v.axes)))];
  const evalRows = plan.evals.map((v) => [v.id, ...keys.map((k) => show(v.axes[k]))]);
  const evalHead = `evals: ${plan.evals.length} variants run on every point after its default evaluation`;
  return `${table}\n${evalHead}\n${textTable(['variant', ...keys], evalRows)}`;
}

/** The status table; `slurm` (index → Slurm cell, slurm/slurm-status.ts) adds a column for a Slurm sweep. */
export function formatStatus(
  dir: string,
  points: readonly PointRecord[],
  slurm?: ReadonlyMap<number, string> | undefined,
): string {
  const keys = [...new Set(points.flatMap((p) => Object.keys(p.overrides)))];
  const withSlurm = slurm !== undefined && slurm.size > 0;
  const rows = points.map((p) => [
    String(p.index),
    p.dir,
    p.state,
    ...(withSlurm ? [slurm.get(p.index) ?? ''] : []),
    ...keys.map((k) => show(p.overrides[k])),
    p.state === 'failed' ? (pointError(pointDir(dir, p)) ?? 'run-state failed') : '',
  ]);
  const count = (s: string) => points.filter((p) => p.state === s).length;
  const states = ['done', 'running', 'pending', 'failed', 'interrupted', 'stale'].filter(count);
  return `${textTable(['index', 'dir', 'state', ...(withSlurm ? ['slurm'] : []), ...keys, 'error'], rows)}\n${states.map((s) => `${count(s)} ${s}`).join(', ')}`;
}
