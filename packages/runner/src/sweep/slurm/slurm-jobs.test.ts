import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendSlurmJob, readSlurmJobs, readSlurmState, writeSlurmState } from './slurm-jobs.ts';

describe('slurm-jobs.jsonl and slurm-state.json', () => {
  it('round-trips submissions (oldest first) and per-point states (sorted by index)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlm-slurm-jobs-'));
    expect(readSlurmJobs(dir)).toEqual([]);
    expect(readSlurmState(dir).size).toBe(0);
    const a = { jobId: '11', submitted: '2026-12-04T10:00:00Z', indices: [0, 1, 2], script: 'slurm/array-0.sbatch' };
    const b = { jobId: '12', submitted: '2026-12-04T11:00:00Z', indices: [2], script: 'slurm/array-1.sbatch' };
    appendSlurmJob(dir, a);
    appendSlurmJob(dir, b);
    expect(readSlurmJobs(dir)).toEqual([a, b]);
    const s2 = { jobId: '12', state: 'RUNNING', reason: 'None', updated: 't' };
    const s0 = { jobId: '11', state: 'FAILED', reason: 'NonZeroExitCode', exitCode: '1:0', updated: 't' };
    writeSlurmState(
      dir,
      new Map([
        [2, s2],
        [0, s0],
      ]),
    );
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'slurm-state.json'), 'utf8')))).toEqual(['0', '2']);
    expect([...readSlurmState(dir)]).toEqual([
      [0, s0],
      [2, s2],
    ]);
  });

  it('names the file of a torn line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlm-slurm-jobs-'));
    writeFileSync(join(dir, 'slurm-jobs.jsonl'), '{"jobId":"1"}\n{"jobId":');
    expect(() => readSlurmJobs(dir)).toThrow(`slurm executor: ${join(dir, 'slurm-jobs.jsonl')} `);
    expect(() => readSlurmJobs(dir)).toThrow('expected valid JSON');
  });
});
