import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PlannedSweep } from '../types.ts';
import { fakeSlurm, testSweep, type FakeSlurm } from './testing-fake-slurm.ts';
import { trackJobs } from './job-tracker.ts';

const noSleep = async () => {};

let dir: string;
let plan: PlannedSweep;
let fake: FakeSlurm;

beforeEach(() => {
  ({ dir, plan } = testSweep());
  fake = fakeSlurm();
});

describe('trackJobs', () => {
  it('a job the controller forgot counts as ended (GONE); transient squeue failures are retried', async () => {
    fake.write('squeue-5.err', 'slurm_load_jobs error: Invalid job id specified');
    fake.write('squeue-6-1.txt', '6_1|1|RUNNING|None\n');
    fake.write('step-6-2.sh', `echo 'slurm_load_jobs error: Unable to contact slurm controller' >&2; exit 1\n`);
    fake.write('squeue-6-3.txt', '6_1|1|TIMEOUT|TimeLimit\n');
    const lines: string[] = [];
    const final = await trackJobs({
      dir,
      jobs: [
        { jobId: '5', indices: [0] },
        { jobId: '6', indices: [1] },
      ],
      points: plan.points,
      env: fake.env,
      pollMs: 0,
      sleep: noSleep,
      log: (l) => lines.push(l),
    });
    expect(final.map((t) => [t.index, t.slurm.state, t.run])).toEqual([
      [0, 'GONE', 'pending'],
      [1, 'TIMEOUT', 'pending'],
    ]);
    expect(lines.filter((l) => l.startsWith('slurm: '))).toEqual([
      'slurm: squeue: -h -r -t all -j 6 -o %i|%K|%T|%r exited with 1: slurm_load_jobs error: Unable to contact slurm' +
        ' controller (retry 1/30)',
    ]);
  });

  it('gives up after maxQueryFailures consecutive failures with the squeue error', async () => {
    fake.write('squeue-9.err', 'slurm_load_jobs error: Unable to contact slurm controller');
    const run = trackJobs({
      dir,
      jobs: [{ jobId: '9', indices: [0] }],
      points: plan.points,
      env: fake.env,
      pollMs: 0,
      sleep: noSleep,
      log: () => {},
      maxQueryFailures: 2,
    });
    await expect(run).rejects.toThrow('squeue: -h -r -t all -j 9 -o %i|%K|%T|%r exited with 1: slurm_load_jobs error');
    expect(readFileSync(join(fake.dir, 'squeue.calls'), 'utf8')).toBe('9\n9\n9\n');
  });
});
