import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EVAL_RESULTS, POINT_ERROR_FILE, pointDir, readPoints } from '../sweep-dir.ts';
import type { PlannedSweep } from '../types.ts';
import { fakeSlurm, testSweep, type FakeSlurm } from './testing-fake-slurm.ts';
import { slurmExecutor } from './slurm-executor.ts';
import { readSlurmJobs, readSlurmState } from './slurm-jobs.ts';

const noSleep = async () => {};

let dir: string;
let plan: PlannedSweep;
let fake: FakeSlurm;
let markDone: (i: number) => string;
let markFailed: (i: number) => string;

beforeEach(() => {
  ({ dir, plan, markDone, markFailed } = testSweep());
  fake = fakeSlurm();
});

describe('slurm executor with fake sbatch/squeue/scontrol', () => {
  it('submits the pending points as one throttled array, follows them to the end, records jobs and states', async () => {
    expect(plan.points.length).toBe(4);
    const p0 = pointDir(dir, plan.points[0]!);
    mkdirSync(join(p0, 'evals', 'default'), { recursive: true });
    writeFileSync(join(p0, 'run-state.json'), JSON.stringify({ state: 'done', step: 20, maxSteps: 20, pid: 1 }));
    writeFileSync(join(p0, EVAL_RESULTS), '{}');
    fake.write(
      'squeue-4242-1.txt',
      '4242_1|1|RUNNING|None\n4242_2|2|PENDING|JobArrayTaskLimit\n4242_3|3|PENDING|None\n',
    );
    fake.write('step-4242-2.sh', markDone(1));
    fake.write('squeue-4242-2.txt', '4242_1|1|COMPLETED|None\n4242_2|2|RUNNING|None\n4242_3|3|RUNNING|None\n');
    fake.write('step-4242-3.sh', markDone(2) + markFailed(3));
    fake.write(
      'squeue-4242-3.txt',
      '4242_1|1|COMPLETED|None\n4242_2|2|COMPLETED|None\n4242_3|3|FAILED|NonZeroExitCode\n',
    );
    fake.write(
      'scontrol-4242.txt',
      [1, 2, 3]
        .map(
          (t) =>
            `JobId=${4300 + t} ArrayJobId=4242 ArrayTaskId=${t} JobState=X Reason=None ExitCode=${t === 3 ? '1:0' : '0:0'}`,
        )
        .join('\n'),
    );
    const lines: string[] = [];
    await slurmExecutor({ env: fake.env, pollMs: 0, sleep: noSleep }).run(dir, plan, {
      parallel: 2,
      log: (l) => lines.push(l),
    });

    const script = join(dir, 'slurm', 'array-0.sbatch');
    expect(readFileSync(join(fake.dir, 'sbatch-0.args'), 'utf8').trim()).toBe(`--parsable ${script}`);
    const text = readFileSync(script, 'utf8');
    expect(readFileSync(join(fake.dir, 'submitted-0.sbatch'), 'utf8')).toBe(text);
    expect(text).toContain('#SBATCH --array=1-3%2\n');
    expect(text).toContain('#SBATCH --partition="cpu"\n#SBATCH --time="00:30:00"\n#SBATCH --cpus-per-task="2"\n');
    expect(text).toContain('#SBATCH --mem="2G"\n');
    expect(text).toContain(`#SBATCH --output="${dir}/logs/%A_%a.out"`);
    expect(text).toContain('export DLM_THREADS=2\n');
    expect(text).toMatch(/exec '\/.*node' '\/.*\/packages\/cli\/bin\/dlm\.js' sweep run-point '/);
    expect(existsSync(join(dir, 'logs'))).toBe(true);

    expect(readSlurmJobs(dir)).toEqual([
      { jobId: '4242', submitted: expect.any(String), indices: [1, 2, 3], script: 'slurm/array-0.sbatch' },
    ]);
    const states = readSlurmState(dir);
    expect([...states.keys()]).toEqual([1, 2, 3]);
    expect(states.get(1)).toMatchObject({ jobId: '4242', state: 'COMPLETED', exitCode: '0:0' });
    expect(states.get(3)).toMatchObject({ jobId: '4242', state: 'FAILED', reason: 'NonZeroExitCode', exitCode: '1:0' });
    expect(readPoints(dir).map((p) => p.state)).toEqual(['done', 'done', 'done', 'failed']);

    const d = (i: number) => plan.points[i]!.dirName;
    expect(lines).toEqual([
      'sweep lr: 3 of 4 points to submit (1 done or running, 0 in earlier jobs)',
      `slurm job 4242: 3 task(s) submitted (${script}); logs in ${dir}/logs`,
      `point 1 (${d(1)}) job 4242_1: slurm RUNNING, point pending`,
      `point 2 (${d(2)}) job 4242_2: slurm PENDING (JobArrayTaskLimit), point pending`,
      `point 3 (${d(3)}) job 4242_3: slurm PENDING, point pending`,
      `point 1 (${d(1)}) job 4242_1: slurm COMPLETED, point done`,
      `point 2 (${d(2)}) job 4242_2: slurm RUNNING, point pending`,
      `point 3 (${d(3)}) job 4242_3: slurm RUNNING, point pending`,
      `point 2 (${d(2)}) job 4242_2: slurm COMPLETED, point done`,
      `point 3 (${d(3)}) job 4242_3: slurm FAILED (NonZeroExitCode), point failed`,
      `point 3 (${d(3)}): failed`,
      `sweep lr: 3 done, 1 failed, 4 points → ${dir}`,
    ]);
  });

  it('a rerun watches tasks still queued in an earlier job and submits only the others', async () => {
    writeFileSync(
      join(dir, 'slurm-jobs.jsonl'),
      `${JSON.stringify({ jobId: '77', submitted: 'x', indices: [0, 1, 2, 3], script: 'slurm/array-0.sbatch' })}\n`,
    );
    writeFileSync(join(fake.dir, 'step-77-1.sh'), markDone(0) + markFailed(3));
    // call 1: the executor's look at earlier jobs; 2, 3: the tracker
    fake.write(
      'squeue-77-1.txt',
      '77_0|0|COMPLETED|None\n77_1|1|RUNNING|None\n77_2|2|PENDING|Priority\n77_3|3|FAILED|None\n',
    );
    fake.write('step-77-3.sh', markDone(1) + markDone(2));
    fake.write('squeue-77-3.txt', '77_0|0|COMPLETED|None\n77_1|1|COMPLETED|None\n77_2|2|COMPLETED|None\n');
    fake.write('sbatch.out', '78;cluster\n');
    fake.write('step-78-1.sh', `rm '${pointDir(dir, plan.points[3]!)}/${POINT_ERROR_FILE}'\n${markDone(3)}`);
    fake.write('squeue-78-1.txt', '78_3|3|COMPLETED|None\n');
    const lines: string[] = [];
    await slurmExecutor({ env: fake.env, pollMs: 0, sleep: noSleep }).run(dir, plan, {
      parallel: 1,
      log: (l) => lines.push(l),
    });

    expect(lines[0]).toBe('slurm job 77: still has points 1, 2 queued or running; watching them');
    expect(lines[1]).toBe('sweep lr: 1 of 4 points to submit (1 done or running, 2 in earlier jobs)');
    expect(readFileSync(join(dir, 'slurm', 'array-1.sbatch'), 'utf8')).toContain('#SBATCH --array=3%1\n');
    expect(readSlurmJobs(dir).map((j) => [j.jobId, j.indices])).toEqual([
      ['77', [0, 1, 2, 3]],
      ['78', [3]],
    ]);
    expect(readPoints(dir).map((p) => p.state)).toEqual(['done', 'done', 'done', 'done']);
    expect(lines.at(-1)).toBe(`sweep lr: 4 done, 0 failed, 4 points → ${dir}`);
    // scontrol no longer knows job 77 or 78: no exit codes, states as squeue last said
    expect(readSlurmState(dir).get(1)).toMatchObject({ jobId: '77', state: 'COMPLETED' });
    expect(readSlurmState(dir).get(1)?.exitCode).toBeUndefined();
  });

  it('sbatch missing on PATH: a named error, nothing written, nothing run', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dlm-no-slurm-'));
    const run = slurmExecutor({ env: { PATH: empty }, pollMs: 0, sleep: noSleep }).run(dir, plan, {
      parallel: 1,
      log: () => {},
    });
    await expect(run).rejects.toThrow(
      /^slurm executor: sbatch, squeue, scontrol not found on PATH, expected sbatch, squeue, scontrol on PATH/,
    );
    expect(existsSync(join(dir, 'slurm'))).toBe(false);
    const exec = slurmExecutor({ env: { PATH: empty } });
    expect(() => exec.check(plan)).toThrow('slurm executor: sbatch, squeue, scontrol not found on PATH');
    expect(() => slurmExecutor({ env: fake.env }).check({ ...plan, slurm: { mem: '8G"' } })).toThrow(
      'sbatch script: slurm.mem, expected a value without newlines or "',
    );
    expect(() => slurmExecutor({ env: fake.env }).check(plan)).not.toThrow();
    expect(existsSync(join(dir, 'slurm-jobs.jsonl'))).toBe(false);
  });
});
