// What the slurm executor leaves in a sweep directory, so any later process (`dlm sweep status`, a rerun of
// `dlm sweep run --executor slurm`) knows which Slurm jobs ran which points:
//   slurm-jobs.jsonl   one line per submission: job id, time, point indices (= array task ids), script path
//   slurm-state.json   the last Slurm state seen per point: {index: {jobId, state, reason, exitCode, updated}}
//   slurm/array-<k>.sbatch   the submitted scripts; logs/<jobid>_<index>.out/.err the tasks' output
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@dlm/core';
import { writeFileAtomic } from '../../eval-out.ts';

export const SLURM_JOBS_FILE = 'slurm-jobs.jsonl';
export const SLURM_STATE_FILE = 'slurm-state.json';

export interface SlurmJobRecord {
  jobId: string;
  /** ISO time of submission. */
  submitted: string;
  /** Point indices of the array (its task ids). */
  indices: number[];
  /** The sbatch script, relative to the sweep directory. */
  script: string;
}

export interface SlurmPointState {
  jobId: string;
  /** Slurm state (PENDING, RUNNING, COMPLETED, FAILED…), or GONE when the controller no longer knows the task. */
  state: string;
  reason: string;
  exitCode?: string | undefined;
  /** ISO time it was seen. */
  updated: string;
}

export function appendSlurmJob(dir: string, rec: SlurmJobRecord): void {
  appendFileSync(join(dir, SLURM_JOBS_FILE), `${JSON.stringify(rec)}\n`);
}

function parseJson<T>(path: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new ConfigError({ op: 'slurm executor', arg: path, expected: 'valid JSON' }, (e as Error).message);
  }
}

/** The submissions of a sweep directory, oldest first ([] when it never used Slurm). */
export function readSlurmJobs(dir: string): SlurmJobRecord[] {
  const f = join(dir, SLURM_JOBS_FILE);
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => parseJson<SlurmJobRecord>(f, l));
}

export function writeSlurmState(dir: string, states: ReadonlyMap<number, SlurmPointState>): void {
  const obj = Object.fromEntries([...states].sort(([a], [b]) => a - b));
  writeFileAtomic(join(dir, SLURM_STATE_FILE), `${JSON.stringify(obj, null, 1)}\n`);
}

/** The last Slurm state seen per point index (empty when the sweep never used Slurm). */
export function readSlurmState(dir: string): Map<number, SlurmPointState> {
  const f = join(dir, SLURM_STATE_FILE);
  if (!existsSync(f)) return new Map();
  const obj = parseJson<Record<string, SlurmPointState>>(f, readFileSync(f, 'utf8'));
  return new Map(Object.entries(obj).map(([k, v]) => [Number(k), v]));
}
