// The main job as a user runs it: `dlm train` → `dlm sample` → `dlm eval` on a tiny MDLM, and
// kill -9 during training followed by `dlm train --resume` reaching exactly the metrics of an
// uninterrupted run.
import { describe, expect, it, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dlm-e2e-'));

export const TINY = `
name: tiny
seed: 3
family: {name: mdlm}
model: {name: dit, hidden_size: 32, cond_dim: 16, n_heads: 2, n_blocks: 1, length: 32, init: reference}
noise: {name: loglinear}
data: {dataset: moby-dick, tokenizer: {name: char-vocab}, packing: wrap}
loader: {batch_size: 4, eval_batch_size: 4}
optim: {lr: 3.0e-3}
lr_scheduler: {warmup_steps: 2, decay: cosine}
trainer: {max_steps: 24, ema: 0.9, log_every_n_steps: 2, val_check_interval: 6, checkpoint_every: 6}
eval: {batches: 2, time_samples: 2}
sampling: {predictor: ddpm_cache, steps: 8, num_samples: 2}
`;

export function dlm(args: string[], cwd = work) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, DLM_THREADS: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const metricsOf = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const { tokens_per_sec: _, ...rest } = JSON.parse(l);
      return rest;
    });

beforeAll(() => {
  writeFileSync(join(work, 'tiny.yaml'), TINY);
});

describe('dlm train / sample / eval', () => {
  it('a run directory holds resolved config, metrics, checkpoint, samples, plot and summary', () => {
    const r = dlm(['train', 'tiny.yaml', '--run-dir', 'runs/a']);
    expect(r.err).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const dir = join(work, 'runs/a');
    for (const f of [
      'resolved.yaml',
      'argv.txt',
      'git.txt',
      'tokenizer.json',
      'metrics.jsonl',
      'metrics.arrow',
      'loss.svg',
      'summary.md',
      'checkpoints/latest',
      'run-state.json',
    ]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(readdirSync(join(dir, 'samples')).some((f) => f.endsWith('.txt'))).toBe(true);
    const resolved = readFileSync(join(dir, 'resolved.yaml'), 'utf8');
    expect(resolved).toMatch(/time_conditioning: false/); // defaults filled in
    expect(resolved).toMatch(/predictor: ddpm_cache/);
    const rows = metricsOf(dir);
    expect(rows.filter((x) => x.split === 'train').length).toBe(12);
    expect(rows.filter((x) => x.split === 'val').length).toBe(4);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/unigram perplexity/);
  });

  it('dlm sample writes samples and reports NFE; ddpm_cache needs fewer network calls than ddpm', () => {
    const c = dlm(['sample', 'runs/a', '--sampler', 'ddpm_cache', '--steps', '200', '--num', '2']);
    expect(c.code).toBe(0);
    const d = dlm(['sample', 'runs/a', '--sampler', 'ddpm', '--steps', '200', '--num', '2']);
    expect(d.code).toBe(0);
    const nfe = (s: string) => Number(/NFE (\d+)/.exec(s)![1]);
    expect(nfe(d.out)).toBe(201);
    expect(nfe(c.out)).toBeLessThan(201);
    expect(c.out).toMatch(/=== sample 1 ===/);
  });

  it('dlm eval reports the bound with its standard error and the unigram baseline', () => {
    const r = dlm(['eval', 'runs/a', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.timeSamples).toBe(2);
    expect(j.sequences).toBe(8);
    expect(j.perplexity).toBeGreaterThan(1);
    expect(j.stderrNatsPerToken).toBeGreaterThan(0);
    expect(j.unigramPerplexity).toBeGreaterThan(1);
    expect(j.bitsPerToken).toBeCloseTo(j.natsPerToken / Math.LN2, 10);
  });

  it('kill -9 during training, then --resume: the metrics equal an uninterrupted run', async () => {
    const full = dlm(['train', 'tiny.yaml', '--run-dir', 'runs/full', '--no-samples']);
    expect(full.code).toBe(0);
    const cut = join(work, 'runs/cut');
    const child = spawn(process.execPath, [bin, 'train', 'tiny.yaml', '--run-dir', 'runs/cut', '--no-samples'], {
      cwd: work,
      stdio: 'ignore',
      env: { ...process.env, DLM_THREADS: '1' },
    });
    // Wait for the checkpoint at step 12, then kill without warning.
    const latest = join(cut, 'checkpoints', 'latest');
    const deadline = Date.now() + 200_000;
    while (Date.now() < deadline && !(existsSync(latest) && readFileSync(latest, 'utf8').trim() >= 'step-0000012'))
      await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(JSON.parse(readFileSync(join(cut, 'run-state.json'), 'utf8')).state).toBe('running'); // killed: no word left
    const resumed = dlm(['train', '--resume', 'runs/cut', '--no-samples']);
    expect(resumed.code).toBe(0);
    expect(metricsOf(cut)).toEqual(metricsOf(join(work, 'runs/full')));
  });
});
