// The sbatch script of a sweep: one job array whose task ids are the pending point indices; each task runs
// `dlm sweep run-point <sweep-dir> --index $SLURM_ARRAY_TASK_ID` (which locks the point, skips it when done,
// trains and evaluates it). Resources come from the sweep file's `slurm:` section. Jobs may run as another
// user and with another PATH than the submitting shell, so node and the dlm CLI are absolute paths and the task
// cds to the submit directory. #SBATCH values are double-quoted (sbatch strips the quotes); shell words are
// single-quoted.
import { ConfigError } from '@dlm/core';
import type { SlurmOptions } from '../types.ts';
import { arraySpec } from './array-spec.ts';

export interface SbatchScriptInput {
  /** The sweep's name (job name `dlm-<name>`). */
  name: string;
  /** The sweep directory, absolute. */
  sweepDir: string;
  /** Point indices to run (the array task ids). */
  indices: readonly number[];
  /** At most this many tasks at once (`%M`); undefined: no throttle. */
  throttle?: number | undefined;
  slurm?: SlurmOptions | undefined;
  /** Absolute path of the node binary (process.execPath). */
  node: string;
  /** Absolute path of packages/cli/bin/dlm.js. */
  dlm: string;
  /** Directory the task cds to (the submit directory). */
  cwd: string;
}

/** Shell single-quoting: `it's` → `'it'\''s'`. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

function checkValue(key: string, v: string): string {
  if (/[\n\r"]/.test(v)) {
    throw new ConfigError({
      op: 'sbatch script',
      arg: `slurm.${key}`,
      expected: 'a value without newlines or "',
      got: v,
    });
  }
  return v;
}

function checkAbsolute(key: string, v: string): string {
  if (!v.startsWith('/'))
    throw new ConfigError({ op: 'sbatch script', arg: key, expected: 'an absolute path', got: v });
  return checkValue(key, v);
}

function positiveInt(key: string, v: number | undefined): number | undefined {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
    throw new ConfigError({ op: 'sbatch script', arg: `slurm.${key}`, expected: 'an integer ≥ 1', got: String(v) });
  }
  return v;
}

/** The `#SBATCH` resource lines of a `slurm:` section, in a fixed order, extra lines last and verbatim. */
export function resourceLines(s: SlurmOptions = {}): string[] {
  const lines: string[] = [];
  const add = (flag: string, key: string, v: string | number | undefined): void => {
    if (v !== undefined) lines.push(`#SBATCH --${flag}="${checkValue(key, String(v))}"`);
  };
  add('partition', 'partition', s.partition);
  add('time', 'time', s.time);
  add('cpus-per-task', 'cpus_per_task', positiveInt('cpus_per_task', s.cpus_per_task));
  add('gpus', 'gpus', positiveInt('gpus', s.gpus));
  add('mem', 'mem', s.mem);
  add('account', 'account', s.account);
  for (const [k, e] of (s.extra ?? []).entries()) {
    if (/[\n\r]/.test(e) || e.trim() === '') {
      throw new ConfigError({ op: 'sbatch script', arg: `slurm.extra[${k}]`, expected: 'one non-empty line', got: e });
    }
    lines.push(e.startsWith('#SBATCH') ? e : `#SBATCH ${e}`);
  }
  return lines;
}

/** The full script text. */
export function sbatchScript(a: SbatchScriptInput): string {
  const dir = checkAbsolute('sweepDir', a.sweepDir);
  const node = checkAbsolute('node', a.node);
  const dlm = checkAbsolute('dlm', a.dlm);
  const cwd = checkAbsolute('cwd', a.cwd);
  // Slurm gives a task one CPU unless cpus-per-task says more: one wasm thread per CPU it was given.
  const threads = a.slurm?.cpus_per_task ?? 1;
  return [
    '#!/bin/bash',
    `# dlm sweep ${a.name}: ${a.indices.length} point(s), one array task per point (task id = point index).`,
    '# Written by `dlm sweep run --executor slurm`; resubmit by hand with `sbatch <this file>`.',
    `#SBATCH --job-name="dlm-${checkValue('name', a.name)}"`,
    `#SBATCH --array=${arraySpec(a.indices, a.throttle)}`,
    `#SBATCH --output="${dir}/logs/%A_%a.out"`,
    `#SBATCH --error="${dir}/logs/%A_%a.err"`,
    ...resourceLines(a.slurm),
    'set -euo pipefail',
    `cd ${shellQuote(cwd)}`,
    `export DLM_THREADS=${threads}`,
    `exec ${shellQuote(node)} ${shellQuote(dlm)} sweep run-point ${shellQuote(dir)} --index "$SLURM_ARRAY_TASK_ID"`,
    '',
  ].join('\n');
}
