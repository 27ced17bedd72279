// Watches the Slurm array tasks of a sweep until every one has ended, logging each change of a point's Slurm
// state or run state (pointState: the point directory's lock, run-state.json and eval results). Each poll runs
//   squeue -h -r -t all -j <jobid> -o '%i|%K|%T|%r'
// per job; a task squeue no longer lists (the controller purged it after MinJobAge, or the whole job id is
// unknown) counts as ended, state GONE. When all have ended, `scontrol -o show job` adds the exit codes of the
// tasks still known. The last states are written to slurm-state.json after every poll.
import { pointState, type PointState } from '../sweep-dir.ts';
import type { SweepPoint } from '../types.ts';
import { isEnded, isUnknownJob, parseScontrol, parseSqueue, SQUEUE_FORMAT, type TaskState } from './job-states.ts';
import { runSlurm, SlurmCommandError } from './slurm-cli.ts';
import { writeSlurmState, type SlurmPointState } from './slurm-jobs.ts';

export const GONE = 'GONE';

export interface TrackedJob {
  jobId: string;
  indices: readonly number[];
}

export interface TrackOptions {
  dir: string;
  jobs: readonly TrackedJob[];
  points: readonly SweepPoint[];
  env: NodeJS.ProcessEnv;
  /** Time between polls. */
  pollMs: number;
  log: (line: string) => void;
  /** Consecutive failed squeue calls tolerated (controller restarts) before giving up. */
  maxQueryFailures?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface TrackedPoint {
  index: number;
  slurm: SlurmPointState;
  run: PointState;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Slurm's view of one job's tasks; undefined when the controller does not know the job id (any more). */
export async function queryJob(jobId: string, env: NodeJS.ProcessEnv): Promise<TaskState[] | undefined> {
  try {
    return parseSqueue(await runSlurm('squeue', ['-h', '-r', '-t', 'all', '-j', jobId, '-o', SQUEUE_FORMAT], env));
  } catch (e) {
    if (e instanceof SlurmCommandError && isUnknownJob(e.stderr)) return undefined;
    throw e;
  }
}

/** Exit codes of a job's tasks from scontrol ({} when scontrol no longer knows it). */
export async function exitCodes(jobId: string, env: NodeJS.ProcessEnv): Promise<Map<number, string>> {
  try {
    const tasks = parseScontrol(await runSlurm('scontrol', ['-o', 'show', 'job', jobId], env));
    return new Map(tasks.flatMap((t) => (t.exitCode === undefined ? [] : [[t.task, t.exitCode] as const])));
  } catch (e) {
    if (e instanceof SlurmCommandError && isUnknownJob(e.stderr)) return new Map();
    throw e;
  }
}

function describe(p: TrackedPoint): string {
  const s = p.slurm;
  const why = s.reason && s.reason !== 'None' ? ` (${s.reason})` : '';
  return `slurm ${s.state}${why}, point ${p.run}`;
}

/** Polls until every task of `jobs` has ended; returns the final state of each tracked point. */
export async function trackJobs(o: TrackOptions): Promise<TrackedPoint[]> {
  const sleep = o.sleep ?? defaultSleep;
  const maxFailures = o.maxQueryFailures ?? 30;
  const byIndex = new Map(o.points.map((p) => [p.index, p]));
  const last = new Map<number, string>();
  const slurmStates = new Map<number, SlurmPointState>();
  let failures = 0;
  for (;;) {
    let tracked: TrackedPoint[];
    try {
      tracked = await poll(o, byIndex, slurmStates);
      failures = 0;
    } catch (e) {
      if (!(e instanceof SlurmCommandError) || ++failures > maxFailures) throw e;
      o.log(`slurm: ${e.message} (retry ${failures}/${maxFailures})`);
      await sleep(o.pollMs);
      continue;
    }
    for (const t of tracked) {
      const text = describe(t);
      if (last.get(t.index) !== text) {
        o.log(`point ${t.index} (${byIndex.get(t.index)!.dirName}) job ${t.slurm.jobId}_${t.index}: ${text}`);
        last.set(t.index, text);
      }
    }
    writeSlurmState(o.dir, slurmStates);
    if (tracked.every((t) => t.slurm.state === GONE || isEnded(t.slurm.state))) {
      for (const j of o.jobs) {
        for (const [task, code] of await exitCodes(j.jobId, o.env)) {
          const s = slurmStates.get(task);
          if (s && s.jobId === j.jobId) s.exitCode = code;
        }
      }
      writeSlurmState(o.dir, slurmStates);
      return tracked;
    }
    await sleep(o.pollMs);
  }
}

async function poll(
  o: TrackOptions,
  byIndex: ReadonlyMap<number, SweepPoint>,
  slurmStates: Map<number, SlurmPointState>,
): Promise<TrackedPoint[]> {
  const out: TrackedPoint[] = [];
  const updated = new Date().toISOString();
  for (const j of o.jobs) {
    const tasks = new Map((await queryJob(j.jobId, o.env))?.map((t) => [t.task, t]));
    for (const index of j.indices) {
      const t = tasks.get(index);
      const prev = slurmStates.get(index);
      const s: SlurmPointState = t
        ? { jobId: j.jobId, state: t.state, reason: t.reason, updated }
        : // once gone, keep the last state seen (COMPLETED…) rather than GONE
          prev && prev.jobId === j.jobId && isEnded(prev.state)
          ? prev
          : { jobId: j.jobId, state: GONE, reason: 'not known to the controller any more', updated };
      slurmStates.set(index, s);
      const p = byIndex.get(index);
      if (p) out.push({ index, slurm: s, run: pointState(o.dir, p) });
    }
  }
  return out;
}
