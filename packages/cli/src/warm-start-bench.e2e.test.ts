// Issue 9 through the CLI on a tiny AR run with the GPT-2 network (the backbone with a key/value cache):
// `dlm bench samplers` times every sampler with and without the cache (the family's bench variants, same NFE),
// `dlm eval` words the exact NLL as such, and `trainer.init_from` starts a new run from the trained weights
// (its first loss is the trained model's, far below a fresh one's); a run with another tokenizer is refused
// before any run directory exists.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dlm-warm-'));
const yaml = join(work, 'ar-gpt2.yaml');
writeFileSync(
  yaml,
  [
    'name: ar-gpt2',
    'family: { name: ar }',
    'model: { name: gpt2, n_embd: 32, n_layer: 1, n_head: 2, n_positions: 32 }',
    'data: { dataset: moby-dick, tokenizer: { name: char-vocab }, packing: wrap }',
    'loader: { batch_size: 8, eval_batch_size: 8 }',
    'optim: { lr: 1.0e-2 }',
    'lr_scheduler: { warmup_steps: 0 }',
    'trainer: { max_steps: 30, ema: 0, log_every_n_steps: 1, val_check_interval: 30, checkpoint_every: 30 }',
    'eval: { batches: 1 }',
    'sampling: { num_samples: 1 }',
    '',
  ].join('\n'),
);

function dlm(args: string[]) {
  const env = { ...process.env, DLM_THREADS: '1' };
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 600_000, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const trainLosses = (dir: string) =>
  readFileSync(join(work, dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { split: string; loss: number })
    .filter((x) => x.split === 'train')
    .map((x) => x.loss);

describe('AR run: bench with and without the KV cache, exact NLL wording, warm start', () => {
  it('trains, benches, evaluates, and a second run starts from its weights', () => {
    const a = dlm(['train', yaml, '--run-dir', 'runs/a', '--no-samples']);
    expect(a.code, a.err).toBe(0);
    expect(a.out + a.err).toMatch(/validation NLL \d+\.\d+ nats\/token \(ppl = /);

    const b = dlm(['bench', 'samplers', 'runs/a', '--steps', '1', '--num', '2', '--length', '16', '--json']);
    expect(b.code, b.err).toBe(0);
    const rows = (JSON.parse(b.out) as { rows: { sampler: string; variant: string; nfe: number }[] }).rows;
    expect(rows.map((r) => `${r.sampler}/${r.variant}`)).toEqual([
      'ancestral/kv cache',
      'greedy/kv cache',
      'ancestral/no cache',
      'greedy/no cache',
    ]);
    for (const r of rows) expect(r.nfe).toBe(16); // one network call per generated token, cached or not

    const e = dlm(['eval', 'runs/a']);
    expect(e.code, e.err).toBe(0);
    expect(e.out).toMatch(
      /validation NLL\s+\d+\.\d+ ± \d+\.\d+ nats\/token \(1 s\.e\.; \d+ sequences, \d+ tokens counted, exact/,
    );
    expect(e.out).toMatch(/perplexity\s+= \d+\.\d+/);

    const w = dlm([
      'train',
      yaml,
      '--run-dir',
      'runs/w',
      '--no-samples',
      '--set',
      'trainer.init_from=runs/a',
      '--set',
      'trainer.max_steps=2',
    ]);
    expect(w.code, w.err).toBe(0);
    expect(w.out + w.err).toMatch(/warm start from \S*runs\/a: step 30 weights, fresh optimizer/);
    const first = trainLosses('runs/a');
    const warm = trainLosses('runs/w');
    // Fresh init: ≈ log V; warm: close to where run a ended (well below its first step).
    expect(warm[0]!).toBeLessThan(first[0]! - 0.5);
    expect(Math.abs(warm[0]! - first[first.length - 1]!)).toBeLessThan(0.5);
  }, 900_000);

  it('a warm start from a run with another tokenizer is refused before a run directory exists', () => {
    const sets = ['--set', 'trainer.init_from=runs/a', '--set', 'data.tokenizer.name=char'];
    const r = dlm(['train', yaml, '--run-dir', 'runs/bad', '--no-samples', ...sets]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/dlm: ConfigError: trainer\.init_from: data\.tokenizer/);
    expect(existsSync(join(work, 'runs/bad'))).toBe(false);
    const n = dlm(['train', yaml, '--run-dir', 'runs/bad', '--set', 'trainer.init_from=runs/none']);
    expect(n.code).toBe(1);
    expect(n.err).toMatch(/trainer\.init_from.*is not a run directory/);
    expect(existsSync(join(work, 'runs/bad'))).toBe(false);
  }, 600_000);
});
