import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRunState } from '../run-state.ts';
import { planSweep } from './sweep-file.ts';
import { EVAL_RESULTS, LOCK_FILE, POINT_ERROR_FILE, pointDir, pointState, prepareSweepDir } from './sweep-dir.ts';
import { acquireLock, pointError, releaseLock, runPoint } from './run-point.ts';

const base = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../../experiments/quickstart/quickstart.yaml',
);
const root = mkdtempSync(join(tmpdir(), 'dlm-run-point-'));
let n = 0;
/** A prepared 2-point sweep directory (nothing run). */
function prepared(): { dir: string; pdir: (i: number) => string; rec: (i: number) => { dir: string } } {
  const f = join(root, `s${n}.yaml`);
  writeFileSync(f, `base: ${base}\nsweep:\n  axes:\n    optim.lr: [1.0e-3, 2.0e-3]\n`);
  const dir = join(root, `dir${n++}`);
  const plan = planSweep(f);
  prepareSweepDir(dir, plan);
  return { dir, pdir: (i) => pointDir(dir, plan.points[i]!), rec: (i) => ({ dir: plan.points[i]!.dirName }) };
}
/** The PID of a process that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;
const lockOf = (pdir: string) => JSON.parse(readFileSync(join(pdir, LOCK_FILE), 'utf8')) as { pid: number };
const quiet = { log: () => {} };

describe('the point lock', () => {
  it('a live PID holds it: run-point skips the point and touches nothing', async () => {
    const { dir, pdir, rec } = prepared();
    writeFileSync(join(pdir(0), LOCK_FILE), JSON.stringify({ pid: process.ppid, host: hostname() }));
    expect(pointState(dir, rec(0))).toBe('running');
    expect(acquireLock(pdir(0))).toBe(false);
    expect(await runPoint(dir, 0, quiet)).toBe('skipped-locked');
    expect(lockOf(pdir(0)).pid).toBe(process.ppid);
    expect(existsSync(join(pdir(0), 'run-state.json'))).toBe(false);
  });
  it('a dead PID is taken over (the point reads as stale until then), and released after', () => {
    const { dir, pdir, rec } = prepared();
    const dead = deadPid();
    writeFileSync(join(pdir(1), LOCK_FILE), JSON.stringify({ pid: dead, host: hostname() }));
    expect(pointState(dir, rec(1))).toBe('stale');
    expect(acquireLock(pdir(1))).toBe(true);
    expect(lockOf(pdir(1)).pid).toBe(process.pid);
    expect(pointState(dir, rec(1))).toBe('running');
    releaseLock(pdir(1));
    expect(existsSync(join(pdir(1), LOCK_FILE))).toBe(false);
    expect(pointState(dir, rec(1))).toBe('pending');
  });
  it('a fresh point: the lock is created with this PID', () => {
    const { pdir } = prepared();
    expect(acquireLock(pdir(0))).toBe(true);
    expect(lockOf(pdir(0))).toEqual({ pid: process.pid, host: hostname() });
    releaseLock(pdir(0));
  });
});

describe('pointState from the files of a point', () => {
  it('pending, done (trained and evaluated), interrupted (trained, not evaluated), failed, stale', () => {
    const { dir, pdir, rec } = prepared();
    expect(pointState(dir, rec(0))).toBe('pending');
    writeRunState(pdir(0), { state: 'done', step: 300, maxSteps: 300 });
    expect(pointState(dir, rec(0))).toBe('interrupted');
    mkdirSync(join(pdir(0), 'evals', 'default'), { recursive: true });
    writeFileSync(join(pdir(0), EVAL_RESULTS), '{}');
    expect(pointState(dir, rec(0))).toBe('done');
    writeFileSync(join(pdir(0), POINT_ERROR_FILE), JSON.stringify({ error: 'Error: boom' }));
    expect(pointState(dir, rec(0))).toBe('failed');
    expect(pointError(pdir(0))).toBe('Error: boom');
    const rs = join(pdir(1), 'run-state.json');
    writeFileSync(rs, JSON.stringify({ state: 'running', step: 3, maxSteps: 300, pid: deadPid(), updated: '' }));
    expect(pointState(dir, rec(1))).toBe('stale');
    writeFileSync(rs, JSON.stringify({ state: 'failed', step: 3, maxSteps: 300, pid: 1, updated: '', error: 'x' }));
    expect(pointState(dir, rec(1))).toBe('failed');
  });
});

describe('runPoint', () => {
  it('skips a done point without touching its files', async () => {
    const { dir, pdir } = prepared();
    writeRunState(pdir(0), { state: 'done', step: 300, maxSteps: 300 });
    mkdirSync(join(pdir(0), 'evals', 'default'), { recursive: true });
    writeFileSync(join(pdir(0), EVAL_RESULTS), '{}');
    const before = statSync(join(pdir(0), 'run-state.json')).mtimeMs;
    expect(await runPoint(dir, 0, quiet)).toBe('skipped-done');
    expect(statSync(join(pdir(0), 'run-state.json')).mtimeMs).toBe(before);
    expect(existsSync(join(pdir(0), LOCK_FILE))).toBe(false);
  });
  it('records a failure in the point (never throws) and releases the lock', async () => {
    const { dir, pdir, rec } = prepared();
    writeFileSync(join(pdir(1), 'point.yaml'), 'family: {name: nosuch}\n');
    expect(await runPoint(dir, 1, quiet)).toBe('failed');
    expect(pointError(pdir(1))).toMatch(/family/);
    expect(pointState(dir, rec(1))).toBe('failed');
    expect(existsSync(join(pdir(1), LOCK_FILE))).toBe(false);
    expect(readFileSync(join(pdir(1), 'point.yaml'), 'utf8')).toContain('nosuch');
  });
  it('a bad index is a named error', async () => {
    const { dir } = prepared();
    await expect(runPoint(dir, 5, quiet)).rejects.toThrow(/--index.*a point index 0\.\.1/);
  });
});
