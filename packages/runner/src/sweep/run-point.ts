// `dlm sweep run-point <sweep-dir> --index i`: runs exactly one point of a prepared sweep directory. This is what
// every executor calls (local workers as child processes; Slurm array tasks with --index $SLURM_ARRAY_TASK_ID).
//   1. take the point's lock (`lock` = {pid, host}): a live lock → skip (someone runs it); a dead one → take over
//   2. a `done` point is skipped
//   3. train it into its point directory from point.yaml (a fresh start), or resume it from its latest checkpoint
//      (interrupted, failed or stale after kill -9); a point trained but not yet evaluated skips to 4
//   4. its default evaluation (bare `dlm eval`): evals/default/results.json, so the report has numbers
//   5. the sweep's `evals:` variants that have no results yet (sweep-evals.ts): evals/<variant>/results.json
// Each attempt that ran appends {pid, started, seconds, outcome} to attempts.jsonl (the report's wall clock).
// A failure is recorded (point-error.json; run-state.json says `failed` when training failed) and returned, never
// thrown: one bad point does not stop the executor that runs the others.
import { appendFileSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, stderrLog } from '@dlm/core';
import { latestCheckpointDir } from '../checkpoint.ts';
import { runTrain } from '../run-train.ts';
import { runEval } from '../run-eval.ts';
import { readRunState } from '../run-state.ts';
import { readSweepEvals, runMissingVariants, variantsDone } from './sweep-evals.ts';
import {
  ATTEMPTS_FILE,
  EVAL_RESULTS,
  LOCK_FILE,
  POINT_ERROR_FILE,
  POINT_YAML,
  lockIsLive,
  pointDir,
  readLock,
  readPoints,
  type PointRecord,
} from './sweep-dir.ts';

export type RunPointOutcome =
  /** already done: nothing run */
  | 'skipped-done'
  /** another live process holds the lock */
  | 'skipped-locked'
  | 'done'
  | 'failed'
  | 'interrupted';

/** The argv that runs one point: `node <dlm> sweep run-point <dir> --index <index>` (index may be `$VAR` text). */
export function runPointArgv(dir: string, index: number | string): string[] {
  const dlm = fileURLToPath(new URL('../../../cli/bin/dlm.js', import.meta.url));
  return [process.execPath, dlm, 'sweep', 'run-point', resolve(dir), '--index', String(index)];
}

/** Takes the lock of a point directory: false when a live process holds it. A dead holder's lock is taken over. */
export function acquireLock(pdir: string): boolean {
  const file = join(pdir, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, host: hostname() });
  try {
    writeFileSync(file, mine, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const held = readLock(pdir);
  if (held && held.pid !== process.pid && lockIsLive(held)) return false;
  // Take over the dead lock with a rename (atomic), then check that no other process took it at the same time.
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, mine);
  renameSync(tmp, file);
  return readLock(pdir)?.pid === process.pid;
}

/** Removes the lock if this process holds it. */
export function releaseLock(pdir: string): void {
  if (readLock(pdir)?.pid === process.pid) rmSync(join(pdir, LOCK_FILE), { force: true });
}

/** Everything but point.yaml and the lock: what a fresh start removes (a dead attempt that left no checkpoint). */
function clearAttempt(pdir: string): void {
  for (const f of readdirSync(pdir)) {
    if (f !== POINT_YAML && f !== LOCK_FILE && f !== 'run-point.log')
      rmSync(join(pdir, f), { recursive: true, force: true });
  }
}

export interface RunPointOptions {
  log?: (line: string) => void;
  /** Skip the samples at the end of training (tests). */
  noSamples?: boolean;
}

function pointOf(dir: string, index: number): PointRecord {
  const points = readPoints(dir);
  const p = points.find((x) => x.index === index);
  if (!p) {
    throw new ConfigError({
      op: 'sweep run-point',
      arg: '--index',
      expected: `a point index 0..${points.length - 1} of ${dir}`,
      got: String(index),
    });
  }
  return p;
}

/** Runs one point (see the header). Throws only for a bad call (no such sweep directory or index). */
export async function runPoint(dir: string, index: number, o: RunPointOptions = {}): Promise<RunPointOutcome> {
  const log = o.log ?? stderrLog;
  const p = pointOf(dir, index);
  const pdir = pointDir(dir, p);
  if (!acquireLock(pdir)) {
    log(`point ${index}: skipped, held by pid ${readLock(pdir)?.pid}`);
    return 'skipped-locked';
  }
  const started = new Date();
  const outcome = await attempt(dir, index, p, pdir, log, o);
  if (outcome !== 'skipped-done') {
    const seconds = (Date.now() - started.getTime()) / 1000;
    const line = { pid: process.pid, started: started.toISOString(), seconds, outcome };
    appendFileSync(join(pdir, ATTEMPTS_FILE), `${JSON.stringify(line)}\n`);
  }
  releaseLock(pdir);
  return outcome;
}

/** One attempt at a locked point (steps 2–4 of the header); failures are recorded and returned. */
async function attempt(
  dir: string,
  index: number,
  p: PointRecord,
  pdir: string,
  log: (line: string) => void,
  o: RunPointOptions,
): Promise<RunPointOutcome> {
  try {
    const rs = readRunState(pdir);
    const variants = readSweepEvals(dir);
    const evaluated = existsSync(join(pdir, EVAL_RESULTS));
    const hadError = existsSync(join(pdir, POINT_ERROR_FILE));
    if (rs?.state === 'done' && evaluated && variantsDone(pdir, variants) && !hadError) {
      log(`point ${index}: done already`);
      return 'skipped-done';
    }
    rmSync(join(pdir, POINT_ERROR_FILE), { force: true });
    const argv = ['dlm', 'sweep', 'run-point', dir, '--index', String(index)];
    if (rs?.state !== 'done') {
      const latest = rs === undefined ? undefined : latestCheckpointDir(join(pdir, 'checkpoints'));
      const resume = latest !== undefined;
      if (!resume) clearAttempt(pdir);
      const from = resume ? `resuming from ${basename(latest)} (was ${rs?.state})` : 'training';
      log(`point ${index} (${JSON.stringify(p.overrides)}): ${from}`);
      const r = await runTrain({
        ...(resume ? { resume: pdir } : { file: join(pdir, POINT_YAML), runDir: pdir }),
        argv,
        log,
        ...(o.noSamples ? { noSamples: true } : {}),
      });
      if (r.interrupted) {
        log(`point ${index}: interrupted by ${r.interrupted}`);
        return 'interrupted';
      }
    }
    if (!evaluated || rs?.state !== 'done') await runEval({ runDir: pdir, log });
    await runMissingVariants(dir, pdir, variants, log);
    log(`point ${index}: done`);
    return 'done';
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const record = { index, error: `${err.name}: ${err.message}`, stack: err.stack, time: new Date().toISOString() };
    writeFileSync(join(pdir, POINT_ERROR_FILE), `${JSON.stringify(record, null, 1)}\n`);
    log(`point ${index}: failed: ${record.error}`);
    return 'failed';
  }
}

/** The recorded error of a failed point, if any. */
export function pointError(pdir: string): string | undefined {
  const f = join(pdir, POINT_ERROR_FILE);
  if (!existsSync(f)) return undefined;
  try {
    return (JSON.parse(readFileSync(f, 'utf8')) as { error: string }).error;
  } catch {
    return 'unreadable point-error.json';
  }
}
