// `npm run test:slurm`: a 2-point sweep through `dlm sweep run --executor slurm` on a real one-node Slurm cluster
// that the setup starts (testing-slurm-cluster.ts) and the teardown stops. Without Slurm installed the setup
// fails with the apt-get command to install it: never a silent skip.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalCluster, type LocalCluster } from './testing-slurm-cluster.ts';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const quickstart = fileURLToPath(new URL('../../../experiments/quickstart/quickstart.yaml', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dlm-slurm-e2e-'));
const sweepFile = join(work, 'tiny-slurm.yaml');
const out = join(work, 'sweep');

/** The MDLM quickstart made tiny: 2 learning rates, 12 steps, 1 CPU per task. */
const SWEEP = `name: tiny-slurm
base: ${quickstart}
set:
  model.hidden_size: 32
  model.cond_dim: 16
  model.n_heads: 2
  model.n_blocks: 1
  loader.batch_size: 8
  loader.eval_batch_size: 8
  lr_scheduler.warmup_steps: 2
  trainer.max_steps: 12
  trainer.log_every_n_steps: 4
  trainer.val_check_interval: 6
  trainer.checkpoint_every: 6
  eval.batches: 2
  eval.time_samples: 2
  sampling.steps: 8
sweep:
  mode: grid
  axes:
    optim.lr: [1.0e-3, 3.0e-3]
slurm: {time: "00:20:00", cpus_per_task: 1}
`;

let cluster: LocalCluster | undefined;

function dlm(args: string[]) {
  if (!cluster) throw new Error('no Slurm cluster: see the first test (starts a one-node Slurm cluster)');
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...cluster.env, DLM_SLURM_POLL_SECONDS: '2' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

afterAll(() => cluster?.stop());

// The cluster is started by a test, not a beforeAll hook: without Slurm this test fails with the install command and
// the others fail naming it, where a failing hook would mark them skipped.
describe('dlm sweep run --executor slurm on a real Slurm', () => {
  it('starts a one-node Slurm cluster (slurm-wlm + munge)', async () => {
    cluster = await startLocalCluster();
    const sinfo = spawnSync('sinfo', ['-h', '-N', '-o', '%N %T %c'], { env: cluster.env, encoding: 'utf8' });
    expect(sinfo.stdout.trim()).toMatch(new RegExp(`^${cluster.node} idle \\d+$`));
    writeFileSync(sweepFile, SWEEP);
  });

  it('runs both points of a 2-point sweep as a job array to done, with eval results', () => {
    const r = dlm(['sweep', 'run', sweepFile, '--executor', 'slurm', '--out', out, '--parallel', '2']);
    expect(r.err).toContain('sweep tiny-slurm: 2 of 2 points to submit');
    expect(r.code, r.err).toBe(0);
    const jobs = readFileSync(join(out, 'slurm-jobs.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ indices: [0, 1], script: 'slurm/array-0.sbatch' });
    const script = readFileSync(join(out, 'slurm', 'array-0.sbatch'), 'utf8');
    expect(script).toContain('#SBATCH --array=0-1%2\n');
    expect(script).toContain(`exec '${process.execPath}' '${bin}' sweep run-point '${out}'`);
    const jobId = jobs[0].jobId as string;
    expect(r.err).toContain(`job ${jobId}_0: slurm COMPLETED, point done`);
    expect(r.err).toContain(`job ${jobId}_1: slurm COMPLETED, point done`);
    expect(r.err).toContain('sweep tiny-slurm: 2 done, 0 failed, 2 points');

    const state = JSON.parse(readFileSync(join(out, 'slurm-state.json'), 'utf8'));
    for (const i of ['0', '1']) expect(state[i]).toMatchObject({ jobId, state: 'COMPLETED', exitCode: '0:0' });
    expect(readdirSync(join(out, 'logs')).sort()).toEqual([
      `${jobId}_0.err`,
      `${jobId}_0.out`,
      `${jobId}_1.err`,
      `${jobId}_1.out`,
    ]);

    const status = dlm(['sweep', 'status', out, '--json']);
    expect(status.code, status.err).toBe(0);
    const points = status.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(points.map((p) => [p.index, p.state])).toEqual([
      [0, 'done'],
      [1, 'done'],
    ]);
    for (const p of points) {
      const dir = join(out, 'points', p.dir);
      expect(JSON.parse(readFileSync(join(dir, 'run-state.json'), 'utf8'))).toMatchObject({ state: 'done', step: 12 });
      const res = JSON.parse(readFileSync(join(dir, 'evals', 'default', 'results.json'), 'utf8'));
      expect(res.family).toBe('mdlm');
      expect(res.bitsPerToken).toBeGreaterThan(0);
      expect(res.bitsPerToken).toBeLessThan(12);
    }
  });

  it('a rerun submits nothing: both points are done', () => {
    const r = dlm(['sweep', 'run', sweepFile, '--executor', 'slurm', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('sweep tiny-slurm: 0 of 2 points to submit (2 done or running, 0 in earlier jobs)');
    expect(readFileSync(join(out, 'slurm-jobs.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(out, 'slurm', 'array-1.sbatch'))).toBe(false);
  });
});
