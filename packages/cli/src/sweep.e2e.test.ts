// `dlm sweep` as a user meets it: plan, run, status, report; a failing point beside a good one; and the kill test:
// `dlm sweep run` killed with SIGKILL (its whole process group) after its first point is done, then rerun — the
// finished point is not run again (its files untouched) and the report equals the one of an uninterrupted sweep
// apart from the timing columns.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dlm-sweep-'));
const env = { ...process.env, DLM_THREADS: '1' };

writeFileSync(
  join(work, 'tiny.yaml'),
  `
name: tiny
seed: 5
family: {name: mdlm}
model: {name: dit, hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: 16}
data: {dataset: moby-dick, tokenizer: {name: char-vocab}}
loader: {batch_size: 2, eval_batch_size: 2}
lr_scheduler: {warmup_steps: 2, decay: cosine}
trainer: {max_steps: 30, log_every_n_steps: 5, val_check_interval: 10, checkpoint_every: 2, keep_checkpoints: 2}
eval: {batches: 1, time_samples: 1}
sampling: {steps: 4, num_samples: 1}
`,
);
writeFileSync(
  join(work, 'three.yaml'),
  'name: three\nbase: tiny.yaml\nsweep:\n  axes:\n    optim.lr: [1.0e-3, 2.0e-3]\n  seeds: [1, 2]\n',
);

// An AR evaluator trained by the sweep, and two sampler variants of gen-ppl on each trained MDLM point.
writeFileSync(
  join(work, 'evals.yaml'),
  'name: evals\nbase: tiny.yaml\nset: {trainer.max_steps: 10}\nsweep:\n  axes: {}\n  seeds: [1]\nevals:\n' +
    '  - verb: gen-ppl\n    set:\n      num: 2\n      evaluator:\n        experiment: tiny.yaml\n' +
    '        set: {family: {name: ar}, model: {name: causal-dit, hidden_size: 16, n_heads: 2, n_blocks: 1, length: 16},\n' +
    '              sampling.predictor: ancestral, trainer.max_steps: 10}\n' +
    '    axes: {sampler: [ddpm, ddpm_cache], steps: [8]}\n',
);

function dlm(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 300_000, env });
  return { code: r.status, err: r.stderr, out: r.stdout };
}

/** path → size and mtime of every file under `dir`. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true }).map(String)) {
    const s = statSync(join(dir, f));
    if (s.isFile()) out[f] = `${s.size}@${s.mtimeMs}`;
  }
  return out;
}

/** results.csv without the timing columns. */
function resultsWithoutTiming(dir: string): string[][] {
  const rows = readFileSync(join(dir, 'results.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const keep = rows[0]!.map((h, i) => (['tokens_per_sec', 'wall_clock_s'].includes(h) ? -1 : i)).filter((i) => i >= 0);
  return rows.map((r) => keep.map((i) => r[i]!));
}

describe('dlm sweep', () => {
  it('plan prints every point; an uninterrupted run, status and report', () => {
    const plan = dlm(['sweep', 'plan', 'three.yaml']);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain('4 points over optim.lr, seed');
    expect(plan.out.trim().split('\n')).toHaveLength(6);
    const run = dlm(['sweep', 'run', 'three.yaml', '--out', 'A']);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain('4 of 4 points to run');
    expect(run.err).toContain('4 done, 0 failed');
    const status = dlm(['sweep', 'status', 'A']);
    expect(status.out).toContain('4 done');
    const report = dlm(['sweep', 'report', 'A']);
    expect(report.code, report.err).toBe(0);
    expect(report.out).toContain('## Mean ± standard error over seeds');
    for (const f of ['results.arrow', 'results.csv', 'results.md', 'plots/eval_bits_per_token-vs-optim.lr.png']) {
      expect(existsSync(join(work, 'A', f)), f).toBe(true);
    }
    const rows = resultsWithoutTiming(join(work, 'A'));
    expect(rows).toHaveLength(5);
    const bpt = rows[0]!.indexOf('eval_bits_per_token');
    for (const r of rows.slice(1)) expect(Number(r[bpt])).toBeGreaterThan(1);
    // A rerun of a finished sweep runs nothing.
    const again = dlm(['sweep', 'run', 'three.yaml', '--out', 'A']);
    expect(again.err).toContain('0 of 4 points to run (4 done or running)');
  });

  it('kill -9 of the sweep mid-way: the finished point is skipped, the killed one resumed, the report is equal', async () => {
    const out = join(work, 'B');
    const child = spawn(process.execPath, [bin, 'sweep', 'run', 'three.yaml', '--out', 'B'], {
      cwd: work,
      env,
      detached: true, // its own process group, killed whole below
      stdio: 'ignore',
    });
    const point = (i: number) => {
      const d = existsSync(join(out, 'points')) && readdirSync(join(out, 'points')).find((x) => x.startsWith(`${i}-`));
      return d ? join(out, 'points', d) : join(out, 'missing');
    };
    // Point 0 finished (its attempt recorded) and point 1 mid-training (a checkpoint, not finished).
    const midWay = () =>
      existsSync(join(point(0), 'attempts.jsonl')) &&
      existsSync(join(point(1), 'checkpoints', 'latest')) &&
      !existsSync(join(point(1), 'attempts.jsonl'));
    const deadline = Date.now() + 240_000;
    while (!midWay() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(midWay()).toBe(true);
    const p0 = point(0);
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const before = snapshot(p0);
    const killed = dlm(['sweep', 'status', 'B']);
    expect(killed.out).toMatch(/^0 +0-\w+ +done/m);
    expect(killed.out).toMatch(/^1 +1-\w+ +stale/m);

    const rerun = dlm(['sweep', 'run', 'three.yaml', '--out', 'B']);
    expect(rerun.code, rerun.err).toBe(0);
    expect(rerun.err).toMatch(/[0-3] of 4 points to run \([1-4] done or running\)/);
    expect(rerun.err).not.toContain('point 0 (0-');
    expect(rerun.err).toContain('4 done, 0 failed');
    expect(snapshot(p0)).toEqual(before);
    expect(readFileSync(join(point(1), 'run-point.log'), 'utf8')).toMatch(
      /point 1 .*: resuming from step-0*[1-9]\d* \(was running\)/,
    );
    expect(dlm(['sweep', 'report', 'B']).code).toBe(0);
    if (!existsSync(join(work, 'A', 'results.csv'))) dlm(['sweep', 'run', 'three.yaml', '--out', 'A']);
    if (!existsSync(join(work, 'A', 'results.csv'))) dlm(['sweep', 'report', 'A']);
    expect(resultsWithoutTiming(out)).toEqual(resultsWithoutTiming(join(work, 'A')));
  });

  it('a failing point is recorded and does not stop the other (two workers)', () => {
    writeFileSync(
      join(work, 'bad.yaml'),
      'base: tiny.yaml\nsweep:\n  axes:\n    data.dataset: [moby-dick, no-such-corpus]\n',
    );
    const run = dlm(['sweep', 'run', 'bad.yaml', '--out', 'C', '--parallel', '2']);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain('2 worker(s)');
    expect(run.err).toContain('1 done, 1 failed');
    const status = dlm(['sweep', 'status', 'C']);
    expect(status.out).toMatch(/^1 +1-\w+ +failed +no-such-corpus +.*no-such-corpus/m);
    expect(status.out).toMatch(/^0 +0-\w+ +done +moby-dick/m);
  });
  it('evals: trains the evaluator once, runs every variant on the trained point, reports one row each', () => {
    const out = join(work, 'sw-evals');
    const run = dlm(['sweep', 'run', 'evals.yaml', '--out', out]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/evaluator evaluators\/tiny-[0-9a-f]{8}: training/);
    const evDir = readdirSync(join(out, 'evaluators'));
    expect(evDir).toHaveLength(1);
    const pdir = join(out, 'points', readdirSync(join(out, 'points'))[0]!);
    const variants = readdirSync(join(pdir, 'evals')).filter((d) => d.startsWith('gen-ppl-'));
    expect(variants.sort()).toHaveLength(2);
    const results = variants.map(
      (v) => JSON.parse(readFileSync(join(pdir, 'evals', v, 'results.json'), 'utf8')) as Record<string, unknown>,
    );
    // ddpm and ddpm_cache draw the same samples from the same seed; the cache skips calls where nothing changed.
    const [ddpm, cache] = results[0]!['sampler'] === 'ddpm' ? results : [results[1]!, results[0]!];
    expect(ddpm!['genPerplexity']).toBe(cache!['genPerplexity']);
    expect(ddpm!['nfe']).toBe(9);
    expect(cache!['nfe']).toBeLessThanOrEqual(9);
    expect(Number.isFinite(ddpm!['genPerplexity'])).toBe(true);
    expect(dlm(['sweep', 'status', out]).out).toMatch(/1 done/);
    const report = dlm(['sweep', 'report', out]);
    expect(report.code, report.err).toBe(0);
    expect(report.out).toContain('## Evaluations: gen-ppl');
    const csv = readFileSync(join(out, 'evals-gen-ppl.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(3);
    // A rerun trains nothing and runs nothing: the evaluator and the point are done.
    const before = snapshot(out);
    const again = dlm(['sweep', 'run', 'evals.yaml', '--out', out]);
    expect(again.code, again.err).toBe(0);
    expect(again.err).not.toMatch(/evaluator .*training/);
    const after = snapshot(out);
    for (const f of Object.keys(before).filter((f) => f.startsWith('evaluators') || f.includes('gen-ppl-'))) {
      expect(after[f], f).toBe(before[f]);
    }
  });
});
