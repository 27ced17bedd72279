import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isEnded, isUnknownJob, parseScontrol, parseSqueue } from './job-states.ts';

const sample = (f: string) => readFileSync(new URL(`./testdata/${f}`, import.meta.url), 'utf8');

describe('parseSqueue (captured Slurm 22.05 output, job 8 = --array=2,5-6%1)', () => {
  it('one line per task (-r): task 2 running, 5 and 6 held by the throttle', () => {
    expect(parseSqueue(sample('squeue-pending.txt'))).toEqual([
      { task: 5, state: 'PENDING', reason: 'JobArrayTaskLimit' },
      { task: 6, state: 'PENDING', reason: 'JobArrayTaskLimit' },
      { task: 2, state: 'RUNNING', reason: 'None' },
    ]);
  });

  it('a pending range not yet split (no -r) expands to its tasks', () => {
    expect(parseSqueue(sample('squeue-collapsed.txt'))).toEqual([
      { task: 5, state: 'PENDING', reason: 'JobArrayTaskLimit' },
      { task: 6, state: 'PENDING', reason: 'JobArrayTaskLimit' },
      { task: 2, state: 'RUNNING', reason: 'None' },
    ]);
  });

  it('ended tasks with -t all: task 5 failed', () => {
    const tasks = parseSqueue(sample('squeue-ended.txt'));
    expect(tasks).toEqual([
      { task: 6, state: 'COMPLETED', reason: 'None' },
      { task: 2, state: 'COMPLETED', reason: 'None' },
      { task: 5, state: 'FAILED', reason: 'NonZeroExitCode' },
    ]);
    expect(tasks.every((t) => isEnded(t.state))).toBe(true);
  });

  it('skips blank lines and non-array jobs, refuses lines of another format', () => {
    expect(parseSqueue('\n12|N/A|RUNNING|None\n')).toEqual([]);
    expect(() => parseSqueue('12 RUNNING')).toThrow('parseSqueue: line, expected fields %i|%K|%T|%r, got 12 RUNNING');
  });
});

describe('parseScontrol (captured `scontrol -o show job 8`)', () => {
  it('while running: the pending range record expands, exit codes 0:0', () => {
    expect(parseScontrol(sample('scontrol-pending.txt'))).toEqual([
      { task: 5, state: 'PENDING', reason: 'JobArrayTaskLimit', exitCode: '0:0' },
      { task: 6, state: 'PENDING', reason: 'JobArrayTaskLimit', exitCode: '0:0' },
      { task: 2, state: 'RUNNING', reason: 'None', exitCode: '0:0' },
    ]);
  });

  it('after the end: task 5 exited 1', () => {
    expect(parseScontrol(sample('scontrol-ended.txt'))).toEqual([
      { task: 6, state: 'COMPLETED', reason: 'None', exitCode: '0:0' },
      { task: 5, state: 'FAILED', reason: 'NonZeroExitCode', exitCode: '1:0' },
      { task: 2, state: 'COMPLETED', reason: 'None', exitCode: '0:0' },
    ]);
  });
});

describe('states', () => {
  it('ended vs still to run', () => {
    for (const s of ['COMPLETED', 'FAILED', 'CANCELLED', 'CANCELLED by 0', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL']) {
      expect(isEnded(s)).toBe(true);
    }
    for (const s of ['PENDING', 'RUNNING', 'COMPLETING', 'CONFIGURING', 'SUSPENDED', 'REQUEUED']) {
      expect(isEnded(s)).toBe(false);
    }
  });

  it('recognises the unknown-job error of squeue and scontrol', () => {
    expect(isUnknownJob('slurm_load_jobs error: Invalid job id specified\n')).toBe(true);
    expect(isUnknownJob('slurm_load_jobs error: Unable to contact slurm controller (connect failure)')).toBe(false);
  });
});
