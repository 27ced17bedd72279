// What Slurm says about the tasks of a job array, parsed from `squeue` and `scontrol show job` (sacct needs
// accounting storage, which small clusters often lack). squeue is run as
//   squeue -h -r -t all -j <jobid> -o '%i|%K|%T|%r'
// (-r: one line per array task; -t all: also tasks that ended but are still in the controller's memory, which
// keeps them MinJobAge seconds, 300 by default). A pending range not yet split into tasks is one line whose %K
// is the range ("1-2%1"). `scontrol -o show job <jobid>` gives one line per record with JobState, ArrayTaskId,
// Reason and ExitCode; the tracker reads it for the exit codes of ended tasks.
import { ConfigError } from '@dlm/core';
import { expandArraySpec } from './array-spec.ts';

export const SQUEUE_FORMAT = '%i|%K|%T|%r';

/** Slurm job states after which a task runs no more (squeue(1) JOB STATE CODES). */
export const ENDED_STATES = [
  'BOOT_FAIL',
  'CANCELLED',
  'COMPLETED',
  'DEADLINE',
  'FAILED',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'PREEMPTED',
  'REVOKED',
  'SPECIAL_EXIT',
  'TIMEOUT',
] as const;

export interface TaskState {
  /** Array task id (= point index). */
  task: number;
  /** Slurm state name, e.g. PENDING, RUNNING, COMPLETED, FAILED. */
  state: string;
  /** Why pending / why it ended ("None" when Slurm has nothing to say). */
  reason: string;
  /** `<exit>:<signal>` when scontrol gave it. */
  exitCode?: string | undefined;
}

export function isEnded(state: string): boolean {
  return (ENDED_STATES as readonly string[]).includes(state.split(' ')[0] as string);
}

/** squeue output (format SQUEUE_FORMAT) → task states; a pending range line gives one entry per task. */
export function parseSqueue(stdout: string): TaskState[] {
  const out: TaskState[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const f = line.split('|');
    if (f.length < 4) {
      throw new ConfigError({ op: 'parseSqueue', arg: 'line', expected: `fields ${SQUEUE_FORMAT}`, got: line });
    }
    const [, tasks, state, ...reason] = f as [string, string, string, ...string[]];
    if (tasks === 'N/A') continue; // not an array job
    for (const task of expandArraySpec(tasks)) out.push({ task, state: state.trim(), reason: reason.join('|').trim() });
  }
  return out;
}

/** `scontrol -o show job` output → task states (records without ArrayTaskId are skipped). */
export function parseScontrol(stdout: string): TaskState[] {
  const out: TaskState[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const fields = new Map<string, string>();
    for (const m of line.matchAll(/(?:^|\s)([A-Za-z/:]+)=(\S*)/g)) fields.set(m[1] as string, m[2] as string);
    const tasks = fields.get('ArrayTaskId');
    const state = fields.get('JobState');
    if (tasks === undefined || state === undefined) continue;
    for (const task of expandArraySpec(tasks)) {
      out.push({ task, state, reason: fields.get('Reason') ?? 'None', exitCode: fields.get('ExitCode') });
    }
  }
  return out;
}

/** True when Slurm's error says the job id is unknown (it ended and was purged, or never existed). */
export function isUnknownJob(stderr: string): boolean {
  return /Invalid job id/i.test(stderr);
}
