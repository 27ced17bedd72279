// Gradient-based control through the CLI on a tiny Diffusion-LM: `dlm train` of the diffusion run and of a
// control-classifier experiment (its own kind of YAML), then `dlm sample --control … --json`, whose report
// judges both sample sets by the attribute's rule; a resumed classifier run equals an uninterrupted one; and the
// named errors of the control flags.
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dlm-control-'));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: work,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, DLM_THREADS: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const DATA = `data: {dataset: moby-dick, tokenizer: {name: char-vocab}, packing: wrap}
loader: {batch_size: 4, eval_batch_size: 4}
optim: {lr: 3.0e-3}
lr_scheduler: {warmup_steps: 1}
trainer: {max_steps: 4, ema: 0.9, log_every_n_steps: 2, val_check_interval: 4, checkpoint_every: 4}
eval: {batches: 1, time_samples: 1}
`;
const DLM = `name: dlm
seed: 3
family: {name: diffusion-lm, diffusion_steps: 50}
model: {name: embedding-transformer, hidden_dim: 4, hidden_t_dim: 8, seq_len: 16, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, hidden_act: gelu_new}
sampling: {predictor: ddim, steps: 5, num_samples: 2}
${DATA}`;
const MDLM = `name: mdlm
family: {name: mdlm}
model: {name: dit, hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: 16}
${DATA}`;

const CLASSIFIER = `kind: control-classifier
name: cls
seed: 2
diffusion_run: runs/dlm
attribute: {name: keyword, word: he, whole_word: false}
model: {hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, hidden_t_dim: 4}
loader: {batch_size: 4, eval_batch_size: 4}
optim: {lr: 1.0e-3}
lr_scheduler: {warmup_steps: 1}
trainer: {max_steps: 4, ema: 0.9, log_every_n_steps: 2, val_check_interval: 2, checkpoint_every: 2}
eval: {batches: 1, noise_levels: [0, 0.5]}
`;

beforeAll(() => {
  writeFileSync(join(work, 'dlm.yaml'), DLM);
  writeFileSync(join(work, 'cls.yaml'), CLASSIFIER);
});

describe('dlm train <classifier.yaml> / dlm sample --control', () => {
  it('trains the diffusion run and the classifier (resume exact); samples with and without control; reports rates', () => {
    const a = run(['train', 'dlm.yaml', '--run-dir', 'runs/dlm', '--no-samples']);
    expect(a.err).not.toMatch(/Error/);
    expect(a.code).toBe(0);
    const b = run(['train', 'cls.yaml', '--run-dir', 'runs/cls']);
    expect(b.err).not.toMatch(/Error/);
    expect(b.code).toBe(0);
    const cls = join(work, 'runs/cls');
    for (const f of [
      'resolved.yaml',
      'control.json',
      'metrics.jsonl',
      'metrics.arrow',
      'summary.md',
      'checkpoints/latest',
    ])
      expect(existsSync(join(cls, f)), f).toBe(true);
    const rows = readFileSync(join(cls, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const val = rows.filter((r) => r.split === 'val');
    expect(val.map((r) => r.step)).toEqual([2, 4]);
    for (const r of val)
      for (const k of ['ce', 'accuracy', 'acc_t0', 'acc_t25']) expect(r[k]).toBeGreaterThanOrEqual(0);
    const record = JSON.parse(readFileSync(join(cls, 'control.json'), 'utf8'));
    expect(record).toMatchObject({
      attribute: 'keyword',
      labels: ['absent', 'present'],
      embedding_dim: 4,
      max_length: 16,
    });
    expect(readFileSync(join(cls, 'summary.md'), 'utf8')).toMatch(/held-out accuracy/);

    // Resume from the step-2 checkpoint of a copy: the same metrics as the uninterrupted run.
    const copy = join(work, 'runs/cls-resumed');
    cpSync(cls, copy, { recursive: true });
    rmSync(join(copy, 'checkpoints/step-0000004'), { recursive: true });
    writeFileSync(join(copy, 'checkpoints/latest'), 'step-0000002\n');
    const r = run(['train', '--resume', 'runs/cls-resumed']);
    expect(r.err).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const metrics = (dir: string) =>
      readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => {
          const { tokens_per_sec: _, ...rest } = JSON.parse(l);
          return rest;
        });
    expect(metrics(copy)).toEqual(metrics(cls));

    const c = run([
      'sample',
      'runs/dlm',
      '--num',
      '6',
      '--control',
      'runs/cls',
      '--control-target',
      'present',
      '--json',
    ]);
    expect(c.err).not.toMatch(/Error/);
    expect(c.code).toBe(0);
    const rep = JSON.parse(c.out);
    expect(rep).toMatchObject({ attribute: 'keyword', target: 'present', sampler: 'ddim', steps: 5, num: 6 });
    expect(rep).toMatchObject({ weight: 100, control_steps: 3, step_size: 0.1, skip_below: 0, nfe: 5 });
    for (const side of [rep.without, rep.with]) {
      expect(side.n).toBe(6);
      expect(side.rate).toBeCloseTo(side.successes / 6, 12);
      expect(side.stderr).toBeCloseTo(Math.sqrt((side.rate * (1 - side.rate)) / 6), 12);
    }
    expect(rep.difference).toBeCloseTo(rep.with.rate - rep.without.rate, 12);
    // Each side's samples are judged by the rule: re-judge the written files.
    const judge = (file: string) =>
      readFileSync(file.replace(/\.txt$/, '.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .filter((l) => /he/i.test(JSON.parse(l).text)).length;
    expect(judge(join(work, rep.files.without))).toBe(rep.without.successes);
    expect(judge(join(work, rep.files.with))).toBe(rep.with.successes);
    expect(readdirSync(join(work, 'runs/dlm/samples')).some((f) => f.endsWith('.report.json'))).toBe(true);
  });

  it('named errors: control flags alone, a non-diffusion-lm run, a non-classifier --control, a classifier run as run, a bad label', () => {
    const u = run(['sample', 'runs/dlm', '--control-weight', '3']);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/--control-weight needs --control <classifier-run>/);
    // A run of another family (its resolved.yaml is enough: the check comes before any weight is read).
    mkdirSync(join(work, 'runs/mdlm'), { recursive: true });
    writeFileSync(join(work, 'runs/mdlm/resolved.yaml'), MDLM);
    const m = run(['sample', 'runs/mdlm', '--control', 'runs/cls', '--control-target', 'present']);
    expect(m.code).toBe(1);
    expect(m.err).toMatch(/run.*gradient-based control \(diffusion-lm\).*a mdlm run/s);
    const n = run(['sample', 'runs/dlm', '--control', 'runs/dlm', '--control-target', 'present']);
    expect(n.code).toBe(1);
    expect(n.err).toMatch(/--control.*is not a control-classifier run/s);
    const k = run(['eval', 'runs/cls']);
    expect(k.code).toBe(1);
    expect(k.err).toMatch(/runs\/cls\/resolved\.yaml is a control-classifier experiment/);
    const t = run(['sample', 'runs/dlm', '--control', 'runs/cls', '--control-target', 'yes']);
    expect(t.code).toBe(1);
    expect(t.err).toMatch(/--control-target.*one of absent, present.*yes/s);
  });
});
