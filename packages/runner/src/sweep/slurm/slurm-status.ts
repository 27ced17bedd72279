// The Slurm column of `dlm sweep status`: for each point submitted to Slurm, the state of its latest array task,
// e.g. `RUNNING 4242_3`, `PENDING 4242_5 (JobArrayTaskLimit)`, `FAILED 4242_1 exit 1:0`. Live from squeue when
// the Slurm commands are on PATH and the controller still knows the job, else the last state the executor saw
// (slurm-state.json). A point never submitted has no entry.
import { isUnknownJob } from './job-states.ts';
import { queryJob } from './job-tracker.ts';
import { SlurmCommandError, whichCommand } from './slurm-cli.ts';
import { readSlurmJobs, readSlurmState, type SlurmPointState } from './slurm-jobs.ts';

export function slurmCell(index: number, s: SlurmPointState): string {
  const why = s.reason && s.reason !== 'None' && s.state === 'PENDING' ? ` (${s.reason})` : '';
  const exit = s.exitCode && s.exitCode !== '0:0' ? ` exit ${s.exitCode}` : '';
  return `${s.state} ${s.jobId}_${index}${why}${exit}`;
}

/** index → Slurm cell text for every point a Slurm job ran or runs. */
export async function slurmStatus(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<Map<number, string>> {
  const seen = readSlurmState(dir);
  const jobs = readSlurmJobs(dir);
  const live = whichCommand('squeue', env) !== undefined;
  const updated = new Date().toISOString();
  for (const j of jobs) {
    // the latest job of a point wins: later submissions overwrite earlier ones
    for (const i of j.indices) {
      const s = seen.get(i);
      if (!s || Number(s.jobId) < Number(j.jobId))
        seen.set(i, { jobId: j.jobId, state: 'SUBMITTED', reason: '', updated });
    }
    if (!live) continue;
    let tasks;
    try {
      tasks = await queryJob(j.jobId, env);
    } catch (e) {
      if (e instanceof SlurmCommandError && !isUnknownJob(e.stderr)) continue; // controller away: keep what was seen
      throw e;
    }
    for (const t of tasks ?? []) {
      const s = seen.get(t.task);
      if (j.indices.includes(t.task) && s?.jobId === j.jobId) {
        seen.set(t.task, { ...s, state: t.state, reason: t.reason, updated });
      }
    }
  }
  return new Map([...seen].sort(([a], [b]) => a - b).map(([i, s]) => [i, slurmCell(i, s)]));
}
