import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeSlurm } from './testing-fake-slurm.ts';
import { slurmStatus } from './slurm-status.ts';

describe('slurmStatus (the Slurm column of dlm sweep status)', () => {
  it('live states from squeue for the latest job of each point, recorded ones when the controller forgot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlm-slurm-status-'));
    const fake = fakeSlurm();
    writeFileSync(
      join(dir, 'slurm-jobs.jsonl'),
      [
        { jobId: '30', submitted: 'x', indices: [0, 1, 2], script: 'slurm/array-0.sbatch' },
        { jobId: '31', submitted: 'y', indices: [2, 3], script: 'slurm/array-1.sbatch' },
      ]
        .map((r) => `${JSON.stringify(r)}\n`)
        .join(''),
    );
    writeFileSync(
      join(dir, 'slurm-state.json'),
      JSON.stringify({
        0: { jobId: '30', state: 'COMPLETED', reason: 'None', exitCode: '0:0', updated: 'x' },
        1: { jobId: '30', state: 'FAILED', reason: 'NonZeroExitCode', exitCode: '1:0', updated: 'x' },
        2: { jobId: '30', state: 'FAILED', reason: 'NonZeroExitCode', exitCode: '1:0', updated: 'x' },
      }),
    );
    fake.write('squeue-30.err', 'slurm_load_jobs error: Invalid job id specified');
    fake.write('squeue-31-1.txt', '31_2|2|RUNNING|None\n31_3|3|PENDING|JobArrayTaskLimit\n');
    expect(await slurmStatus(dir, fake.env)).toEqual(
      new Map([
        [0, 'COMPLETED 30_0'],
        [1, 'FAILED 30_1 exit 1:0'],
        [2, 'RUNNING 31_2'],
        [3, 'PENDING 31_3 (JobArrayTaskLimit)'],
      ]),
    );
    // without Slurm on PATH: what was recorded, and SUBMITTED for tasks never seen
    expect(await slurmStatus(dir, { PATH: fake.dir.replace(/[^/]+$/, 'nowhere') })).toEqual(
      new Map([
        [0, 'COMPLETED 30_0'],
        [1, 'FAILED 30_1 exit 1:0'],
        [2, 'SUBMITTED 31_2'],
        [3, 'SUBMITTED 31_3'],
      ]),
    );
  });
});
