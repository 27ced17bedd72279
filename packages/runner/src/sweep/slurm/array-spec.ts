// The `--array=` value of a Slurm job array: the point indices themselves are the array task ids (so
// $SLURM_ARRAY_TASK_ID is the point index, no list file), consecutive runs folded into ranges, and `%M` to
// run at most M tasks at once. Slurm's own syntax (sbatch(1), --array): "0-3,5,7-9%2".
import { ConfigError } from '@dlm/core';

/** Slurm's default MaxArraySize is 1001: task ids 0..1000. A larger cluster setting is the admin's to raise. */
export const SLURM_DEFAULT_MAX_ARRAY_INDEX = 1000;

/** `--array` value for `indices` (any order, no duplicates), throttled to `throttle` tasks at once when given. */
export function arraySpec(indices: readonly number[], throttle?: number): string {
  if (indices.length === 0) {
    throw new ConfigError({ op: 'slurm arraySpec', arg: 'indices', expected: 'at least one point index' });
  }
  const sorted = [...indices].sort((a, b) => a - b);
  for (const [k, i] of sorted.entries()) {
    if (!Number.isInteger(i) || i < 0) {
      throw new ConfigError({ op: 'slurm arraySpec', arg: 'indices', expected: 'integers ≥ 0', got: String(i) });
    }
    if (k > 0 && sorted[k - 1] === i) {
      throw new ConfigError({ op: 'slurm arraySpec', arg: 'indices', expected: 'no duplicates', got: String(i) });
    }
  }
  if (throttle !== undefined && (!Number.isInteger(throttle) || throttle < 1)) {
    throw new ConfigError({
      op: 'slurm arraySpec',
      arg: 'throttle',
      expected: 'an integer ≥ 1',
      got: String(throttle),
    });
  }
  const parts: string[] = [];
  let start = sorted[0] as number;
  let prev = start;
  for (const i of [...sorted.slice(1), Number.NaN]) {
    if (i === prev + 1) {
      prev = i;
      continue;
    }
    parts.push(start === prev ? String(start) : `${start}-${prev}`);
    start = i;
    prev = i;
  }
  return throttle === undefined ? parts.join(',') : `${parts.join(',')}%${throttle}`;
}

/** The task ids of an array spec as Slurm prints it (`3,5,7-8%2`, `0-9:3`, `4`): the inverse of arraySpec. */
export function expandArraySpec(spec: string): number[] {
  const body = spec.replace(/^\[|\]$/g, '').split('%')[0] as string;
  const out: number[] = [];
  for (const part of body.split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part.trim());
    if (!m) {
      throw new ConfigError({ op: 'slurm expandArraySpec', arg: 'spec', expected: 'i, i-j or i-j:s items', got: spec });
    }
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    for (let i = a; i <= b; i += step) out.push(i);
  }
  return out;
}
