// Issue 13 through the CLI on a tiny LLaDA run (the llada backbone, which has the bidirectional KV cache):
// `dlm generate <run>` with Fast-dLLM's --cache / --threshold / --cache-loop, and `dlm bench samplers <run>` with
// its LLaDA generation rows (plain vs prefix / dual cache, ± threshold: @dlm/samplers llada.LLADA_BENCH_VARIANTS).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { llada } from '@dlm/samplers';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dlm-fastdllm-'));
const yaml = join(work, 'llada.yaml');
writeFileSync(
  yaml,
  [
    'name: llada-tiny',
    'family: { name: llada }',
    'model: { name: llada, d_model: 32, n_heads: 2, n_layers: 1, mlp_hidden_size: 64, max_sequence_length: 64 }',
    'data: { dataset: moby-dick, tokenizer: { name: char-vocab }, packing: wrap, length: 32 }',
    'loader: { batch_size: 4, eval_batch_size: 4 }',
    'optim: { lr: 1.0e-2 }',
    'lr_scheduler: { warmup_steps: 0 }',
    'trainer: { max_steps: 2, ema: 0, log_every_n_steps: 1, val_check_interval: 2, checkpoint_every: 2 }',
    'eval: { batches: 1, time_samples: 1 }',
    'sampling: { num_samples: 1, steps: 4 }',
    '',
  ].join('\n'),
);

function dlm(args: string[]) {
  const env = { ...process.env, DLM_THREADS: '1' };
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 600_000, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Row {
  family: string;
  sampler: string;
  variant: string;
  steps: number;
  nfe: number;
  speedup?: number;
  agreement?: number;
  cpuSeconds?: number;
  cpuSpeedup?: number;
}

describe('LLaDA run: Fast-dLLM generation and its bench rows', () => {
  it('trains, generates with the caches (same ids without a threshold), benches every variant', () => {
    const t = dlm(['train', yaml, '--run-dir', 'runs/l', '--no-samples']);
    expect(t.code, t.err).toBe(0);

    const knobs = ['--prompt-ids', '5,6,7', '--gen-length', '16', '--block-length', '8', '--steps', '16', '--json'];
    const gen = (extra: string[]) => {
      const r = dlm(['generate', 'runs/l', ...knobs, ...extra]);
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out) as { ids: number[][]; nfe: number };
    };
    const plain = gen([]);
    const none = gen(['--cache', 'none']);
    const prefix = gen(['--cache', 'prefix']);
    const dual = gen(['--cache', 'dual', '--cache-loop', 'call-first']);
    const fast = gen(['--cache', 'dual', '--threshold', '0.001']); // below 1/V: every block in its first call
    expect(plain.nfe).toBe(16);
    expect(none.nfe).toBe(16);
    expect(none.ids).toEqual(plain.ids); // the same fixed schedule, float64 softmax both
    // One layer: its keys and values depend on each position's token only, so neither cache is stale: same ids.
    expect(prefix.ids).toEqual(plain.ids);
    expect(dual.ids).toEqual(plain.ids);
    expect(prefix.nfe).toBe(16);
    expect(dual.nfe).toBe(16); // the schedule's last call completes each block: no extra call even when call-first
    expect(fast.nfe).toBe(2);
    for (const g of [prefix, dual, fast]) expect(g.ids[0]).toHaveLength(16);

    const bench = ['bench', 'samplers', 'runs/l', '--sampler', 'low_confidence', '--steps', '16', '--num', '1'];
    const b = dlm([...bench, '--threshold', '0.5']);
    expect(b.code, b.err).toBe(0);
    expect(b.out).toMatch(/×plain\s+cpu s\s+×cpu\s+agree/);
    expect(b.out).toMatch(/generate block 32\s+dual\+τ0\.5\s+16\s+\d+/);
    const j = dlm([
      'bench',
      'samplers',
      'runs/l',
      '--sampler',
      'low_confidence',
      '--steps',
      '16',
      '--num',
      '1',
      '--json',
    ]);
    expect(j.code, j.err).toBe(0);
    const rows = (JSON.parse(j.out) as { rows: Row[] }).rows;
    // The family's sample row (its bench variant `plain`), then the generation rows.
    expect(rows.map((r) => `${r.sampler}/${r.variant}`)).toEqual([
      'low_confidence/plain',
      ...llada.LLADA_BENCH_VARIANTS.map((v) => `generate block 32/${llada.lladaBenchLabel(v)}`),
    ]);
    for (const r of rows) expect(r.family).toBe('llada');
    expect(rows.map((r) => r.variant)).toContain('dual+τ0.9');
    const gens = rows.slice(1);
    for (const r of gens) expect(r.sampler).toBe('generate block 32');
    expect(gens[0]!.speedup).toBe(1);
    expect(gens[0]!.agreement).toBe(1);
    expect(gens[0]!.cpuSpeedup).toBe(1);
    for (const r of gens) expect(r.cpuSeconds).toBeGreaterThan(0);
    expect(gens.map((r) => r.steps)).toEqual(gens.map(() => 16)); // --steps 16, within the length 32
    for (const r of gens.filter((x) => !x.variant.includes('τ'))) expect(r.nfe).toBe(16);
    for (const r of gens) expect(r.agreement).toBeGreaterThanOrEqual(0);
  });
});
