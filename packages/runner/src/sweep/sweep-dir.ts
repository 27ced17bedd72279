// A sweep directory (default `sweeps/<name>-<time>/`; `dlm sweep run --out DIR` names or continues one):
//   sweep.yaml      the sweep as planned: name, source file, absolute base, mode, axes, the `sweep:` and `slurm:`
//                   sections, and every point's index, hash and overrides
//   points.jsonl    one line per point: index, hash, dir, overrides, state (rewritten by `run`/`status`)
//   points.arrow    the same table in Arrow (overrides as a JSON string)
//   points/<index>-<hash8>/   one run directory per point: point.yaml (its resolved experiment, what it trains),
//                   then what `dlm train` writes (run-state.json, checkpoints/, metrics…), evals/default/ and
//                   evals/<variant>/ (the `evals:` section, sweep-evals.ts);
//                   `lock` (the PID running it, run-point.ts), `point-error.json` (the last failure), run-point.log,
//                   attempts.jsonl (one line per run-point attempt: pid, start, seconds, outcome)
// A point's state comes from those files, never from memory, so any process can read it (pointState).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { tableToIPC, tableFromArrays } from 'apache-arrow';
import { ConfigError } from '@dlm/core';
import { toYaml } from '@dlm/config';
import { newRunDir } from '../run-dir.ts';
import { isAlive, readRunState } from '../run-state.ts';
import { writeFileAtomic } from '../eval-out.ts';
import { readSweepFile } from './sweep-file.ts';
import { readSweepEvals, variantsDone } from './sweep-evals.ts';
import type { PlannedSweep, SweepPoint } from './types.ts';

export const POINT_STATES = ['pending', 'running', 'done', 'failed', 'interrupted', 'stale'] as const;
/**
 * pending      nothing run yet
 * running      a live process holds its lock (or its run-state names a live pid)
 * done         trained to max_steps and evaluated (evals/default/results.json and every `evals:` variant)
 * failed       its last attempt failed (point-error.json, or run-state `failed`)
 * interrupted  stopped by a signal with a checkpoint, or trained but not yet evaluated
 * stale        the process running it died without a word (kill -9): a dead lock or a `running` state
 */
export type PointState = (typeof POINT_STATES)[number];

export interface PointRecord {
  index: number;
  hash: string;
  dir: string;
  overrides: Record<string, unknown>;
  state: PointState;
}

export const POINTS_FILE = 'points.jsonl';
export const LOCK_FILE = 'lock';
export const POINT_ERROR_FILE = 'point-error.json';
export const POINT_YAML = 'point.yaml';
export const ATTEMPTS_FILE = 'attempts.jsonl';
export const EVAL_RESULTS = join('evals', 'default', 'results.json');

/** `sweeps/<name>-<YYYYMMDD-HHMMSS>` (a free name). */
export function defaultSweepDir(name: string, root = 'sweeps'): string {
  return newRunDir(root, name);
}

export function pointDir(dir: string, p: Pick<SweepPoint, 'dirName'> | { dir: string }): string {
  return join(dir, 'points', 'dirName' in p ? p.dirName : p.dir);
}

export interface LockInfo {
  pid: number;
  host: string;
}

/** The lock of a point directory, if any (a torn or foreign file reads as a dead lock). */
export function readLock(pdir: string): LockInfo | undefined {
  const f = join(pdir, LOCK_FILE);
  if (!existsSync(f)) return undefined;
  try {
    const l = JSON.parse(readFileSync(f, 'utf8')) as LockInfo;
    if (Number.isInteger(l.pid) && typeof l.host === 'string') return l;
  } catch {
    // fall through: unreadable = dead
  }
  return { pid: -1, host: hostname() };
}

/** A lock is live when its process runs (a lock taken on another host is taken as live: its PID cannot be checked). */
export function lockIsLive(l: LockInfo): boolean {
  if (l.host !== hostname()) return true;
  return l.pid > 0 && isAlive(l.pid);
}

/** The state of one point, from its files. */
export function pointState(dir: string, p: Pick<SweepPoint, 'dirName'> | { dir: string }): PointState {
  const pdir = pointDir(dir, p);
  const lock = readLock(pdir);
  if (lock && lockIsLive(lock)) return 'running';
  const rs = readRunState(pdir);
  if (rs?.state === 'running' && isAlive(rs.pid)) return 'running';
  if (existsSync(join(pdir, POINT_ERROR_FILE))) return 'failed';
  if (!rs) return lock ? 'stale' : 'pending';
  if (rs.state === 'done') {
    return existsSync(join(pdir, EVAL_RESULTS)) && variantsDone(pdir, readSweepEvals(dir)) ? 'done' : 'interrupted';
  }
  if (rs.state === 'running') return 'stale';
  return rs.state;
}

/** The points table of a sweep directory (states as recorded; call `refreshPoints` for current ones). */
export function readPoints(dir: string): PointRecord[] {
  const f = join(dir, POINTS_FILE);
  if (!existsSync(f)) {
    throw new ConfigError({ op: 'sweep', arg: dir, expected: `a sweep directory (with ${POINTS_FILE})` }, 'is not one');
  }
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as PointRecord);
}

/** Writes points.jsonl and points.arrow (atomically). */
export function writePoints(dir: string, points: readonly PointRecord[]): void {
  writeFileAtomic(join(dir, POINTS_FILE), points.map((p) => `${JSON.stringify(p)}\n`).join(''));
  const table = tableFromArrays({
    index: Int32Array.from(points.map((p) => p.index)),
    hash: points.map((p) => p.hash),
    dir: points.map((p) => p.dir),
    overrides: points.map((p) => JSON.stringify(p.overrides)),
    state: points.map((p) => p.state),
  });
  writeFileAtomic(join(dir, 'points.arrow'), tableToIPC(table, 'file'));
}

/** Re-reads every point's state from its files and rewrites the table; returns it. */
export function refreshPoints(dir: string): PointRecord[] {
  const points = readPoints(dir).map((p) => ({ ...p, state: pointState(dir, p) }));
  writePoints(dir, points);
  return points;
}

/**
 * Creates the sweep directory of a plan, or checks that an existing one holds the same points (same index, same
 * hash) and continues it. Writes sweep.yaml, each point's point.yaml, and the points table with current states.
 */
export function prepareSweepDir(dir: string, sweep: PlannedSweep): PointRecord[] {
  const abs = resolve(dir);
  if (existsSync(join(abs, POINTS_FILE))) {
    const old = readPoints(abs);
    const same =
      old.length === sweep.points.length && old.every((o, i) => o.hash === sweep.points[i]!.hash && o.index === i);
    if (!same) {
      const firstDiff = sweep.points.findIndex((p, i) => old[i]?.hash !== p.hash);
      throw new ConfigError(
        {
          op: 'sweep run',
          arg: `--out ${dir}`,
          expected: `a new directory, or one holding the same ${sweep.points.length} points`,
          got: `${old.length} points${firstDiff >= 0 ? `, point ${firstDiff} differs` : ''}`,
        },
        'holds another sweep',
      );
    }
  }
  mkdirSync(join(abs, 'points'), { recursive: true });
  const f = readSweepFile(sweep.file);
  const doc = {
    name: sweep.name,
    source: sweep.file,
    base: sweep.baseFile,
    mode: sweep.mode,
    axes: sweep.axes,
    set: f.set,
    sweep: f.sweep,
    ...(sweep.slurm ? { slurm: sweep.slurm } : {}),
    ...(sweep.evals.length ? { evals: sweep.evals } : {}),
    points: sweep.points.map((p) => ({ index: p.index, hash: p.hash, overrides: p.overrides })),
  };
  writeFileAtomic(join(abs, 'sweep.yaml'), toYaml(doc));
  for (const p of sweep.points) {
    const pdir = pointDir(abs, p);
    mkdirSync(pdir, { recursive: true });
    const yaml = join(pdir, POINT_YAML);
    if (!existsSync(yaml)) writeFileSync(yaml, toYaml(p.experiment));
  }
  const records = sweep.points.map((p) => ({
    index: p.index,
    hash: p.hash,
    dir: p.dirName,
    overrides: p.overrides,
    state: pointState(abs, p),
  }));
  writePoints(abs, records);
  return records;
}
