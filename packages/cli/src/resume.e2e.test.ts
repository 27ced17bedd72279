// Run lifecycle as a user meets it: resume of a finished run, extending a run, Ctrl-C / SIGTERM
// with a checkpoint and the resume command, a corrupt latest checkpoint, --checkpoint, the
// run-state file, and the `dlm:` error line instead of a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint } from '@dlm/runner';
import { beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dlm-life-'));
const env = { ...process.env, DLM_THREADS: '1' };

const TINY = `
name: tiny
seed: 5
family: {name: mdlm}
model: {name: dit, hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: 16}
data: {dataset: moby-dick, tokenizer: {name: char-vocab}}
loader: {batch_size: 2, eval_batch_size: 2}
lr_scheduler: {warmup_steps: 2, decay: cosine}
trainer: {max_steps: 6, log_every_n_steps: 1, val_check_interval: 3, checkpoint_every: 2, keep_checkpoints: 3}
eval: {batches: 1, time_samples: 1}
sampling: {steps: 4, num_samples: 1}
`;

function dlm(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 120_000, env });
  return { code: r.status, err: r.stderr, out: r.stdout };
}

const state = (run: string) => JSON.parse(readFileSync(join(work, run, 'run-state.json'), 'utf8'));
const steps = (run: string) =>
  readFileSync(join(work, run, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((r) => r.split === 'train')
    .map((r) => r.step);

/** Starts a long training run and sends `signals` once it has logged `afterStep` steps. */
async function interrupt(run: string, signals: NodeJS.Signals[], afterStep = 2) {
  const child = spawn(
    process.execPath,
    [bin, 'train', 'tiny.yaml', '--run-dir', run, '--no-samples', '--set', 'trainer.max_steps=100000'],
    {
      cwd: work,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr.on('data', (d) => (err += String(d)));
  child.stdout.on('data', (d) => (err += String(d)));
  const metrics = join(work, run, 'metrics.jsonl');
  const deadline = Date.now() + 100_000;
  while (
    Date.now() < deadline &&
    !(existsSync(metrics) && readFileSync(metrics, 'utf8').trim().split('\n').length >= afterStep)
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const [i, s] of signals.entries()) {
    // Standard signals do not queue: a second one sent before the first is handled merges with it.
    if (i > 0) await new Promise((r) => setTimeout(r, 30));
    child.kill(s);
  }
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { code, err };
}

beforeAll(() => {
  writeFileSync(join(work, 'tiny.yaml'), TINY);
  const r = dlm(['train', 'tiny.yaml', '--run-dir', 'runs/a']);
  if (r.code !== 0) throw new Error(r.err);
});

describe('run lifecycle', () => {
  it('a finished run records state done; --resume of it says so and changes nothing', () => {
    expect(state('runs/a')).toMatchObject({ state: 'done', step: 6, maxSteps: 6 });
    const before = readFileSync(join(work, 'runs/a/summary.md'), 'utf8');
    const samples = readdirSync(join(work, 'runs/a/samples')).map((f) => [
      f,
      statSync(join(work, 'runs/a/samples', f)).mtimeMs,
    ]);
    const r = dlm(['train', '--resume', 'runs/a']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/already finished: 6 of 6 steps done; nothing changed/);
    expect(r.err).toMatch(/--set trainer\.max_steps=<more than 6>/);
    expect(readFileSync(join(work, 'runs/a/summary.md'), 'utf8')).toBe(before);
    expect(
      readdirSync(join(work, 'runs/a/samples')).map((f) => [f, statSync(join(work, 'runs/a/samples', f)).mtimeMs]),
    ).toEqual(samples);
  });

  it('--resume --set trainer.max_steps=N extends the run, prints the lr before/after and records it; other knobs are refused', () => {
    const bad = dlm(['train', '--resume', 'runs/a', '--set', 'optim.lr=0.1']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^dlm: ConfigError: .*--set optim\.lr.*trainer\.max_steps/m);
    expect(bad.err).not.toMatch(/^\s+at /m);
    const r = dlm(['train', '--resume', 'runs/a', '--set', 'trainer.max_steps=8', '--no-samples']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(
      /extending the run from step 6: max_steps 6 → 8; learning rate of step 7: \S+ \(old horizon\) → \S+ \(new horizon\)/,
    );
    const ext = JSON.parse(readFileSync(join(work, 'runs/a/extensions.jsonl'), 'utf8'));
    expect(ext).toMatchObject({ from_step: 6, old_max_steps: 6, new_max_steps: 8 });
    expect(ext.lr_after).toBeGreaterThan(ext.lr_before); // cosine: the end of the old decay is mid-way in the new one
    expect(steps('runs/a')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(readFileSync(join(work, 'runs/a/resolved.yaml'), 'utf8')).toMatch(/max_steps: 8/);
    expect(state('runs/a')).toMatchObject({ state: 'done', step: 8, maxSteps: 8 });
  });

  it('SIGINT: finishes the step, writes a checkpoint, summary and plot, prints the resume command, exits 130', async () => {
    const r = await interrupt('runs/int', ['SIGINT']);
    expect(r.code).toBe(130);
    expect(r.err).toMatch(/SIGINT: finishing the current step/);
    const s = state('runs/int');
    expect(s).toMatchObject({ state: 'interrupted', signal: 'SIGINT' });
    expect(readFileSync(join(work, 'runs/int/checkpoints/latest'), 'utf8').trim()).toBe(
      `step-${String(s.step).padStart(7, '0')}`,
    );
    expect(r.err).toContain('Resume with: dlm train --resume runs/int');
    for (const f of ['summary.md', 'loss.svg', 'metrics.arrow'])
      expect(existsSync(join(work, 'runs/int', f)), f).toBe(true);
  });

  it('SIGTERM exits 143; a second signal during the shutdown exits at once, the last checkpoint stays loadable', async () => {
    const t = await interrupt('runs/term', ['SIGTERM', 'SIGTERM']);
    expect(t.code).toBe(143);
    expect(existsSync(join(work, 'runs/term/checkpoints/latest'))).toBe(true);
    const latest = readFileSync(join(work, 'runs/term/checkpoints/latest'), 'utf8').trim();
    expect(loadCheckpoint(join(work, 'runs/term/checkpoints', latest)).step).toBeGreaterThanOrEqual(1);
  });

  it('a corrupt latest checkpoint: eval warns and uses the previous good one; --checkpoint picks one or lists the saved steps', () => {
    // runs/a has checkpoints at steps 4, 6 and 8 (keep 3); damage step 8.
    const f = join(work, 'runs/a/checkpoints/step-0000008/model.safetensors');
    truncateSync(f, statSync(f).size - 4);
    const r = dlm(['eval', 'runs/a', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warning: .*step-0000008.*corrupt or truncated.*previous good checkpoint .*step-0000006/);
    expect(JSON.parse(r.out).checkpointStep).toBe(6);
    const four = dlm(['eval', 'runs/a', '--json', '--checkpoint', '4']);
    expect(JSON.parse(four.out).checkpointStep).toBe(4);
    const s = dlm(['sample', 'runs/a', '--checkpoint', '4', '--num', '1', '--steps', '2']);
    expect(s.code, s.err).toBe(0);
    const missing = dlm(['eval', 'runs/a', '--checkpoint', '99']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/--checkpoint 99.*one of the saved steps 4, 6, 8/);
  });

  it('errors are one dlm: line; --version; resuming a run without checkpoint says it starts from step 0', () => {
    const none = dlm(['train']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^dlm: Give an experiment YAML or --resume <run-dir>\./m);
    expect(none.err).not.toMatch(/^\s+at /m);
    const v = dlm(['--version']);
    expect(v.code).toBe(0);
    expect(v.out.trim()).toMatch(/^dlm \d+\.\d+\.\d+$/);
    const r = dlm(['train', 'tiny.yaml', '--run-dir', 'runs/empty', '--set', 'trainer.max_steps=1', '--no-samples']);
    expect(r.code).toBe(0);
    // Simulate a run killed before its first checkpoint.
    spawnSync('rm', ['-rf', join(work, 'runs/empty/checkpoints')]);
    const again = dlm(['train', '--resume', 'runs/empty', '--no-samples']);
    expect(again.code, again.err).toBe(0);
    expect(again.err + again.out).toMatch(/no checkpoint in .*checkpoints yet: training from step 0/);
    expect(steps('runs/empty')).toEqual([1]);
  });
});
