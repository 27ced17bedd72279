// The slurm executor (`dlm sweep run <file> --executor slurm`): the pending points of a sweep directory become
// one Slurm job array (sbatch-script.ts), submitted with `sbatch --parsable`, then watched (job-tracker.ts)
// until every task has ended. A rerun first looks up the jobs of earlier runs (slurm-jobs.jsonl): points whose
// task is still pending or running there are watched, not submitted twice; done points are skipped; failed,
// interrupted and stale ones are submitted again. A failing task is recorded by run-point in its point directory;
// the executor reports it and goes on watching the others.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { refreshPoints } from '../sweep-dir.ts';
import { runPointArgv } from '../run-point.ts';
import type { ExecutorOptions, PlannedSweep, SweepExecutor } from '../types.ts';
import { isEnded } from './job-states.ts';
import { queryJob, trackJobs, type TrackedJob } from './job-tracker.ts';
import { resourceLines, sbatchScript } from './sbatch-script.ts';
import { parseSbatchParsable, requireSlurmCommands, runSlurm } from './slurm-cli.ts';
import { appendSlurmJob, readSlurmJobs } from './slurm-jobs.ts';

/** Env var: seconds between squeue polls (default 10). */
export const SLURM_POLL_ENV = 'DLM_SLURM_POLL_SECONDS';

export interface SlurmExecutorConfig {
  /** Environment of the Slurm commands (PATH, SLURM_CONF); default process.env. */
  env?: NodeJS.ProcessEnv;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

function pollMsFrom(env: NodeJS.ProcessEnv): number {
  const s = Number(env[SLURM_POLL_ENV]);
  return s > 0 ? s * 1000 : 10_000;
}

/** Earlier submissions' tasks that Slurm still runs or queues: index → job id. */
async function activeTasks(dir: string, env: NodeJS.ProcessEnv): Promise<Map<number, string>> {
  const active = new Map<number, string>();
  for (const rec of readSlurmJobs(dir)) {
    const tasks = await queryJob(rec.jobId, env);
    for (const t of tasks ?? []) {
      if (rec.indices.includes(t.task) && !isEnded(t.state)) active.set(t.task, rec.jobId);
    }
  }
  return active;
}

/** The slurm executor; `check` is its preflight: Slurm commands on PATH and a writable `slurm:` section. */
export type SlurmExecutor = SweepExecutor & Required<Pick<SweepExecutor, 'check'>>;

/**
 * Throws a named error, before any file is written, when sbatch/squeue/scontrol are not on PATH or the sweep's
 * `slurm:` section cannot be written as #SBATCH lines.
 */
export function checkSlurm(sweep: PlannedSweep, env: NodeJS.ProcessEnv = process.env): void {
  requireSlurmCommands(env);
  resourceLines(sweep.slurm);
}

export function slurmExecutor(c: SlurmExecutorConfig = {}): SlurmExecutor {
  return {
    name: 'slurm',
    check: (sweep) => checkSlurm(sweep, c.env ?? process.env),
    async run(dirArg: string, sweep: PlannedSweep, o: ExecutorOptions): Promise<void> {
      const env = c.env ?? process.env;
      checkSlurm(sweep, env);
      const dir = resolve(dirArg);
      const active = await activeTasks(dir, env);
      const points = refreshPoints(dir);
      const todo = points.filter((p) => p.state !== 'done' && p.state !== 'running' && !active.has(p.index));
      const jobs: TrackedJob[] = [];
      for (const jobId of new Set(active.values())) {
        const indices = [...active]
          .filter(([, j]) => j === jobId)
          .map(([i]) => i)
          .sort((a, b) => a - b);
        o.log(`slurm job ${jobId}: still has points ${indices.join(', ')} queued or running; watching them`);
        jobs.push({ jobId, indices });
      }
      o.log(
        `sweep ${sweep.name}: ${todo.length} of ${points.length} points to submit` +
          ` (${points.length - todo.length - active.size} done or running, ${active.size} in earlier jobs)`,
      );
      if (todo.length > 0)
        jobs.push(
          await submit(
            dir,
            sweep,
            o,
            env,
            todo.map((p) => p.index),
          ),
        );
      if (jobs.length > 0) {
        await trackJobs({
          dir,
          jobs,
          points: sweep.points,
          env,
          pollMs: c.pollMs ?? pollMsFrom(env),
          log: o.log,
          sleep: c.sleep,
        });
      }
      const final = refreshPoints(dir);
      const count = (s: string) => final.filter((p) => p.state === s).length;
      for (const p of final.filter((x) => x.state !== 'done')) o.log(`point ${p.index} (${p.dir}): ${p.state}`);
      o.log(`sweep ${sweep.name}: ${count('done')} done, ${count('failed')} failed, ${final.length} points → ${dir}`);
    },
  };
}

async function submit(
  dir: string,
  sweep: PlannedSweep,
  o: ExecutorOptions,
  env: NodeJS.ProcessEnv,
  indices: number[],
): Promise<TrackedJob> {
  const [node, dlm] = runPointArgv(dir, 0) as [string, string];
  const k = readSlurmJobs(dir).length;
  const script = join(dir, 'slurm', `array-${k}.sbatch`);
  mkdirSync(join(dir, 'slurm'), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const throttle = sweep.slurm?.max_parallel ?? (o.parallel > 0 ? o.parallel : undefined);
  const text = sbatchScript({
    name: sweep.name,
    sweepDir: dir,
    indices,
    throttle,
    slurm: sweep.slurm,
    node,
    dlm,
    cwd: process.cwd(),
  });
  writeFileSync(script, text, { mode: 0o755 });
  const jobId = parseSbatchParsable(await runSlurm('sbatch', ['--parsable', script], env));
  appendSlurmJob(dir, { jobId, submitted: new Date().toISOString(), indices, script: relative(dir, script) });
  o.log(`slurm job ${jobId}: ${indices.length} task(s) submitted (${script}); logs in ${join(dir, 'logs')}`);
  return { jobId, indices };
}

export const slurmExecutorDefault: SlurmExecutor = slurmExecutor();
