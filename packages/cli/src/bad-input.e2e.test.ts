// Bad inputs through the CLI: each gives a named error, a non-zero exit, and leaves no broken
// run directory behind.
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  truncateSync,
  statSync,
  writeFileSync,
  cpSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dlm-bad-'));

const TINY = `
name: tiny
family: {name: mdlm}
model: {name: dit, hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: 16}
data: {dataset: moby-dick, tokenizer: {name: char-vocab}}
loader: {batch_size: 2, eval_batch_size: 2}
trainer: {max_steps: 4, log_every_n_steps: 2, val_check_interval: 2, checkpoint_every: 2}
eval: {batches: 1, time_samples: 1}
sampling: {steps: 4, num_samples: 1}
`;

function dlm(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: work,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, DLM_THREADS: '1', DLM_CACHE_DIR: join(work, 'data/prepared') },
  });
  return { code: r.status, err: r.stderr, out: r.stdout };
}

function runsCreated(): string[] {
  return existsSync(join(work, 'runs'))
    ? readdirSync(join(work, 'runs')).filter((d) => d !== 'good' && !d.startsWith('copy'))
    : [];
}

function expectRefused(args: string[], message: RegExp) {
  const r = dlm(args);
  expect(r.code, r.err).not.toBe(0);
  expect(r.err).toMatch(message);
  expect(r.err).not.toMatch(/^\s+at /m); // a named error, not a stack trace
  expect(runsCreated()).toEqual([]);
}

beforeAll(() => {
  writeFileSync(join(work, 'tiny.yaml'), TINY);
  const good = dlm(['train', 'tiny.yaml', '--run-dir', 'runs/good', '--no-samples']);
  expect(good.code, good.err).toBe(0);
});

describe('bad input', () => {
  it('unknown key: path and nearest valid key', () => {
    writeFileSync(join(work, 'unknown.yaml'), `${TINY}\noptim: {lr: 1.0e-3, weight_decy: 0.1}\n`);
    expectRefused(['train', 'unknown.yaml'], /optim\.weight_decy.*weight_decay/s);
  });

  it('wrong type: path, expected and got', () => {
    writeFileSync(join(work, 'type.yaml'), TINY.replace('max_steps: 4', 'max_steps: many'));
    expectRefused(['train', 'type.yaml'], /trainer\.max_steps has the wrong type.*integer.*many/s);
  });

  it('missing dataset lists the known ones', () => {
    writeFileSync(join(work, 'missing.yaml'), TINY.replace('dataset: moby-dick', 'dataset: moby-dock'));
    expectRefused(['train', 'missing.yaml'], /moby-dock.*moby-dick/s);
  });

  it('extends cycle names the chain', () => {
    writeFileSync(join(work, 'a.yaml'), 'extends: b.yaml\nname: a\n');
    writeFileSync(join(work, 'b.yaml'), 'extends: a.yaml\nname: b\n');
    expectRefused(['train', 'a.yaml'], /a\.yaml → b\.yaml → a\.yaml/);
  });

  it('--set of a nonexistent path', () => {
    expectRefused(['train', 'tiny.yaml', '--set', 'trainer.max_stepz=3'], /trainer\.max_stepz.*max_steps/s);
  });

  it('sequence length above the model length', () => {
    writeFileSync(
      join(work, 'long.yaml'),
      TINY.replace('packing', 'length: 64, packing').replace('{dataset', '{length: 64, dataset'),
    );
    expectRefused(['train', 'long.yaml'], /data\.length.*at most model\.length \(16\).*64/s);
  });

  it('empty corpus', () => {
    writeFileSync(join(work, 'empty.txt'), '');
    writeFileSync(
      join(work, 'empty.yaml'),
      TINY.replace('dataset: moby-dick', 'dataset: empty, files: {all: {format: txt, path: empty.txt}}'),
    );
    expectRefused(['train', 'empty.yaml'], /DataError.*(empty corpus|training text is empty)/);
  });

  // Every checkpoint damaged: no good one to fall back to (a damaged latest alone falls back, resume.e2e.test.ts).
  const stepDirs = (run: string) => readdirSync(join(work, run, 'checkpoints')).filter((d) => d.startsWith('step-'));

  it('truncated checkpoint: resume and sample refuse it naming the file', () => {
    cpSync(join(work, 'runs/good'), join(work, 'runs/copy-trunc'), { recursive: true });
    for (const d of stepDirs('runs/copy-trunc')) {
      const f = join(work, 'runs/copy-trunc/checkpoints', d, 'model.safetensors');
      truncateSync(f, statSync(f).size - 10);
    }
    for (const args of [
      // `good` is finished: extending it is what reads the checkpoint (a plain resume says "already finished").
      ['train', '--resume', 'runs/copy-trunc', '--set', 'trainer.max_steps=6'],
      ['sample', 'runs/copy-trunc'],
    ]) {
      const r = dlm(args);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(/CheckpointError.*model\.safetensors is corrupt or truncated/);
    }
  });

  it('corrupt checkpoint state', () => {
    cpSync(join(work, 'runs/good'), join(work, 'runs/copy-corrupt'), { recursive: true });
    for (const d of stepDirs('runs/copy-corrupt')) {
      writeFileSync(join(work, 'runs/copy-corrupt/checkpoints', d, 'state.json'), '{"format": 1, "st');
    }
    const r = dlm(['eval', 'runs/copy-corrupt']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/state\.json.*cannot be parsed/);
  });

  it('truncated Arrow shard is named', () => {
    const root = join(work, 'data/prepared/moby-dick/char-vocab');
    cpSync(root, join(work, 'shards-copy'), { recursive: true });
    const shard = readdirSync(join(work, 'shards-copy'), { recursive: true })
      .map(String)
      .find((f) => f.endsWith('.arrow'))!;
    truncateSync(join(work, 'shards-copy', shard), 100);
    writeFileSync(
      join(work, 'shard.yaml'),
      TINY.replace('packing', 'prepared_dir: shards-copy, packing').replace(
        '{dataset',
        '{prepared_dir: shards-copy, dataset',
      ),
    );
    expectRefused(
      ['train', 'shard.yaml'],
      new RegExp(`${shard.split('/').pop()!.replace('.', '\\.')} is a truncated or missing Arrow shard`),
    );
  });

  it('diffusion-lm: an unknown beta schedule lists the schedules; clamp_step beyond T names the knob', () => {
    const slot = (extra: string) =>
      TINY.replace('family: {name: mdlm}', `family: {name: diffusion-lm, diffusion_steps: 50${extra}}`).replace(
        /model: \{[^}]*\}/,
        'model: {name: embedding-transformer, hidden_dim: 4, hidden_t_dim: 8, seq_len: 16, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2}',
      );
    writeFileSync(join(work, 'beta.yaml'), slot(', noise_schedule: sqrtt'));
    expectRefused(['train', 'beta.yaml'], /family\.noise_schedule.*not a discrete beta schedule.*sqrt/s);
    writeFileSync(join(work, 'clamp.yaml'), slot(', clamp_step: 50'));
    expectRefused(['train', 'clamp.yaml'], /family\.clamp_step.*below diffusion_steps 50/s);
  });

  it('a sampler the family does not have lists the valid ones', () => {
    const r = dlm(['sample', 'runs/good', '--sampler', 'euler']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/sampler.*one of ddpm, ddpm_cache, analytic.*euler/s);
  });

  it('a path that is not a run directory', () => {
    mkdirSync(join(work, 'notarun'), { recursive: true });
    const r = dlm(['eval', 'notarun']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/notarun is not a run directory/);
  });
});
