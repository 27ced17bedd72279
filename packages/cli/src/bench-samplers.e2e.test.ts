// `dlm bench samplers <run>...` on tiny runs of every family in one table: one row per sampler of each run's family
// × its bench variants (AR on causal-dit: no key/value cache, said in the variant column; LLaDA: its
// lladaBenchVariants, then its generation rows: plain vs Fast-dLLM's caches), with the NFE each sampler's loop
// implies. Timings are printed, never checked.
// `dlm train --check-leaks` is exercised on the first run.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SamplerBenchRow } from '@dlm/runner';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const pairs = fileURLToPath(new URL('../../../datasets/examples/moby-dick-reverse/pairs.jsonl', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dlm-bench-samplers-'));

const COMMON = [
  'data: { dataset: moby-dick, tokenizer: { name: char-vocab }, packing: wrap }',
  'loader: { batch_size: 4, eval_batch_size: 4 }',
  'optim: { lr: 3.0e-3 }',
  'lr_scheduler: { warmup_steps: 0 }',
  'trainer: { max_steps: 8, ema: 0, log_every_n_steps: 4, val_check_interval: 4, checkpoint_every: 8 }',
  'eval: { batches: 1, time_samples: 1 }',
];
const RUNS: Record<string, string[]> = {
  mdlm: [
    'family: { name: mdlm }',
    'model: { name: dit, hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: 16 }',
    ...COMMON,
  ],
  sedd: [
    'family: { name: sedd, graph: absorb }',
    'model: { name: dit, hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: 16 }',
    ...COMMON,
  ],
  llada: [
    'family: { name: llada }',
    'model: { name: llada, d_model: 16, n_heads: 2, n_layers: 1, mlp_hidden_size: 32, max_sequence_length: 16 }',
    ...COMMON,
  ],
  ar: [
    'family: { name: ar }',
    'model: { name: causal-dit, hidden_size: 16, n_heads: 2, n_blocks: 1, length: 16 }',
    ...COMMON,
  ],
  'diffusion-lm': [
    'family: { name: diffusion-lm, diffusion_steps: 50 }',
    'model: { name: embedding-transformer, hidden_dim: 4, hidden_t_dim: 8, seq_len: 16, hidden_size: 16,',
    '  num_hidden_layers: 1, num_attention_heads: 2 }',
    ...COMMON,
  ],
  diffuseq: [
    'family: { name: diffuseq, diffusion_steps: 50 }',
    'model: { name: embedding-transformer, hidden_dim: 8, hidden_t_dim: 8, seq_len: 16, hidden_size: 16,',
    '  num_hidden_layers: 1, num_attention_heads: 2 }',
    'data:',
    '  dataset: moby-dick',
    '  tokenizer: { name: word, options: { lowercase: true, maxVocab: 201 } }',
    `  pairs: { path: ${JSON.stringify(pairs)}, source_field: src, target_field: trg }`,
    ...COMMON.slice(1),
  ],
};

function dlm(args: string[]) {
  const env = { ...process.env, DLM_THREADS: '1' };
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 600_000, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const names = Object.keys(RUNS);
const trained: Record<string, string> = {};

beforeAll(() => {
  for (const name of names) {
    const yaml = join(work, `${name}.yaml`);
    writeFileSync(yaml, [`name: ${name}`, ...RUNS[name]!, ''].join('\n'));
    const leaks = name === 'mdlm' ? ['--check-leaks', '4'] : [];
    const r = dlm(['train', yaml, '--run-dir', `runs/${name}`, '--no-samples', ...leaks]);
    if (r.code !== 0) throw new Error(`training ${name} failed: ${r.err}`);
    trained[name] = r.out + r.err;
  }
}, 900_000);

describe('dlm bench samplers over runs of every family', () => {
  it('--check-leaks prints the tensor count every K steps and says whether it grew', () => {
    expect(trained['mdlm']).toMatch(/^step 4: \d+ tensors, [\d,]+ bytes, \d+ backend buffers$/m);
    expect(trained['mdlm']).toMatch(/^step 8: \d+ tensors/m);
    expect(trained['mdlm']).toMatch(/^check leaks: flat from step 4 to 8 \(\d+ tensors/m);
  });

  it('one JSON row per run × sampler × variant, with the NFE of each loop', () => {
    const r = dlm(['bench', 'samplers', ...names.map((n) => `runs/${n}`), '--steps', '4', '--num', '2', '--json']);
    expect(r.code, r.err).toBe(0);
    const rows = (JSON.parse(r.out) as { rows: SamplerBenchRow[] }).rows;
    expect(rows.map((x) => `${x.run} ${x.family} ${x.sampler} ${x.variant}`)).toEqual([
      'runs/mdlm mdlm ddpm ',
      'runs/mdlm mdlm ddpm_cache ',
      'runs/mdlm mdlm analytic ',
      'runs/mdlm mdlm denoiser ',
      'runs/sedd sedd euler ',
      'runs/sedd sedd analytic ',
      'runs/llada llada low_confidence plain',
      'runs/llada llada random plain',
      // LLaDA's generation rows (bench-llada-generation.ts): plain vs Fast-dLLM's caches, ± threshold.
      'runs/llada llada generate block 16 plain',
      'runs/llada llada generate block 16 prefix',
      'runs/llada llada generate block 16 dual',
      'runs/llada llada generate block 16 prefix+τ0.9',
      'runs/llada llada generate block 16 dual+τ0.9',
      'runs/ar ar ancestral no cache (causal-dit has none)',
      'runs/ar ar greedy no cache (causal-dit has none)',
      'runs/diffusion-lm diffusion-lm ancestral ',
      'runs/diffusion-lm diffusion-lm ddim ',
      'runs/diffuseq diffuseq ancestral ',
      'runs/diffuseq diffuseq ddim ',
    ]);
    const nfe = Object.fromEntries(rows.map((x) => [`${x.family} ${x.sampler}`, x.nfe]));
    // MDLM / SEDD: one call per step plus the final noise-removal (denoiser) call.
    expect(nfe['mdlm ddpm']).toBe(5);
    expect(nfe['mdlm analytic']).toBe(5);
    expect(nfe['sedd euler']).toBe(5);
    expect(nfe['sedd analytic']).toBe(5);
    // ddpm_cache (and denoiser, its updates) skip the network while no token changed: at most ddpm's calls.
    for (const k of ['mdlm ddpm_cache', 'mdlm denoiser']) {
      expect(nfe[k]).toBeGreaterThanOrEqual(1);
      expect(nfe[k]).toBeLessThanOrEqual(5);
    }
    // LLaDA (one block): one call per step. AR: one call per generated token, steps do not apply.
    expect(nfe['llada low_confidence']).toBe(4);
    expect(nfe['llada random']).toBe(4);
    expect(nfe['ar ancestral']).toBe(16);
    expect(nfe['ar greedy']).toBe(16);
    // Diffusion-LM / DiffuSeq: the chain respaced to 4 of its 50 steps, one call each.
    for (const f of ['diffusion-lm', 'diffuseq'])
      for (const s of ['ancestral', 'ddim']) expect(nfe[`${f} ${s}`]).toBe(4);
    for (const x of rows) {
      expect(x).toMatchObject({ steps: 4, num: 2, length: 16, stepsApply: x.family !== 'ar' });
      expect(x.seconds).toBeGreaterThan(0);
      expect(x.tokensPerSec).toBeCloseTo((2 * 16) / x.seconds, 6);
    }
  }, 900_000);

  it('the table has one line per row and the columns in order; --sampler keeps the runs whose family has it', () => {
    const r = dlm([
      'bench',
      'samplers',
      'runs/mdlm',
      'runs/ar',
      'runs/llada',
      '--steps',
      '2',
      '--num',
      '1',
      '--sampler',
      'ddpm',
      'greedy',
    ]);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('backend wasm, threads 1; 1 samples per row, one seed');
    expect(lines[1]!.split(/\s{2,}/)).toEqual([
      'run',
      'family',
      'sampler',
      'variant',
      'steps',
      'NFE',
      'length',
      'tokens/s',
      'seconds',
    ]);
    expect(
      lines.slice(2).map((l) =>
        l
          .trim()
          .split(/\s{2,}/)
          .slice(0, 7),
      ),
    ).toEqual([
      ['mdlm', 'mdlm', 'ddpm', '—', '2', '3', '16'],
      ['ar', 'ar', 'greedy', 'no cache (causal-dit has none)', '—', '16', '16'],
    ]);
    const bad = dlm(['bench', 'samplers', 'runs/mdlm', 'runs/ar', '--steps', '2', '--sampler', 'euler']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /--sampler.*a sampler of the runs' families: one of ddpm, ddpm_cache, analytic, denoiser, ancestral, greedy.*"euler"/,
    );
  }, 900_000);
});
