// The local executor: runs the pending points of a sweep directory with N worker processes, each
// `dlm sweep run-point <dir> --index i` (run-point.ts). Workers are plain children, so they share the parent's
// process group (a Ctrl-C or a kill of the group stops them all), and each also watches its parent and exits when
// it is gone (kill -9 of the parent alone). The cores are split: each worker gets DLM_THREADS = cores / N (at
// least 1; cores = the parent's DLM_THREADS when set, else the machine's). Points already `done` or `running`
// (a live lock) are skipped; failed, interrupted and stale ones are run again. A failing point is recorded by its
// worker and the others go on.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pointDir, refreshPoints, type PointRecord } from './sweep-dir.ts';
import { runPointArgv } from './run-point.ts';
import type { ExecutorOptions, PlannedSweep, SweepExecutor } from './types.ts';

/** Env var a worker reads to exit when its parent (this PID) is gone. */
export const SWEEP_PARENT_ENV = 'DLM_SWEEP_PARENT';

export function threadsPerWorker(parallel: number, env: NodeJS.ProcessEnv = process.env): number {
  const cores = Number(env['DLM_THREADS']) > 0 ? Number(env['DLM_THREADS']) : availableParallelism();
  return Math.max(1, Math.floor(cores / Math.max(1, parallel)));
}

/** Runs one point in a child process; resolves with its exit code (its output goes to run-point.log). */
function runWorker(dir: string, p: PointRecord, threads: number): Promise<number> {
  const [cmd, ...args] = runPointArgv(dir, p.index);
  const logFile = createWriteStream(join(pointDir(dir, p), 'run-point.log'), { flags: 'a' });
  const child = spawn(cmd!, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DLM_THREADS: String(threads), [SWEEP_PARENT_ENV]: String(process.pid) },
  });
  child.stdout.pipe(logFile, { end: false });
  child.stderr.pipe(logFile, { end: false });
  return new Promise((resolveExit) => {
    child.on('close', (code, signal) => {
      logFile.end();
      resolveExit(code ?? (signal ? 128 : 1));
    });
    child.on('error', () => {
      logFile.end();
      resolveExit(127);
    });
  });
}

export async function runLocal(dir: string, sweep: PlannedSweep, o: ExecutorOptions): Promise<void> {
  const points = refreshPoints(dir);
  const todo = points.filter((p) => p.state !== 'done' && p.state !== 'running');
  const skipped = points.length - todo.length;
  const parallel = Math.max(1, Math.min(o.parallel, todo.length || 1));
  const threads = threadsPerWorker(parallel);
  o.log(
    `sweep ${sweep.name}: ${todo.length} of ${points.length} points to run` +
      `${skipped ? ` (${skipped} done or running)` : ''}, ${parallel} worker(s) × ${threads} thread(s)`,
  );
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const p = todo[next++]!;
      o.log(`point ${p.index} (${p.dir}): started`);
      const code = await runWorker(dir, p, threads);
      const state = refreshPoints(dir).find((x) => x.index === p.index)!.state;
      o.log(`point ${p.index} (${p.dir}): ${state}${code !== 0 ? ` (exit ${code})` : ''}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const final = refreshPoints(dir);
  const count = (s: string) => final.filter((p) => p.state === s).length;
  o.log(`sweep ${sweep.name}: ${count('done')} done, ${count('failed')} failed, ${final.length} points → ${dir}`);
}

export const localExecutor: SweepExecutor = { name: 'local', run: runLocal };
