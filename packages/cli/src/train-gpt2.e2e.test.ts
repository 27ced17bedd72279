// Issue 8: the quickstart (MDLM DiT, batch 32 × length 32) with the GPT-2 vocabulary (V = 50257 +
// specials) used to exhaust wasm's 4 GiB heap, holding the [B, L, V] logits and a dozen tensors
// derived from them through the backward pass. The chunked masked-position loss keeps one
// [chunk, V] block; three real steps must run and write a checkpoint. A configuration that cannot
// fit must fail before training, with the estimate and what to change.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const quickstart = fileURLToPath(new URL('../../../experiments/quickstart/quickstart.yaml', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dlm-gpt2-'));

function dlm(args: string[]) {
  const env = { ...process.env, DLM_THREADS: '1' };
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 900_000, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const gpt2 = ['--backend', 'wasm', '--set', 'data.tokenizer.name=gpt2', '--set', 'eval.batches=1', '--no-samples'];

describe('dlm train: quickstart with the GPT-2 vocabulary on wasm', () => {
  it('three steps at batch 32 train and write a checkpoint', () => {
    const sets = ['trainer.max_steps=3', 'trainer.log_every_n_steps=1', 'trainer.checkpoint_every=3'];
    const steps = sets.flatMap((s) => ['--set', s]);
    const r = dlm(['train', quickstart, ...gpt2, ...steps, '--run-dir', 'runs/g']);
    expect(r.err).not.toMatch(/Error|Abort/);
    expect(r.code).toBe(0);
    const dir = join(work, 'runs/g');
    expect(r.err).toMatch(/vocab 50260/);
    expect(readFileSync(join(dir, 'checkpoints/latest'), 'utf8').trim()).toBe('step-0000003');
    const rows = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const train = rows.filter((x) => x.split === 'train');
    expect(train.map((x) => x.step)).toEqual([1, 2, 3]);
    for (const x of train) expect(x.loss).toBeGreaterThan(5); // ≈ log 50260 = 10.8 at the start
    expect(JSON.parse(readFileSync(join(dir, 'run-state.json'), 'utf8')).state).toBe('done');
  }, 1_000_000);

  it('a batch that cannot fit fails before training with the estimate (no run directory)', () => {
    const r = dlm(['train', quickstart, ...gpt2, '--set', 'loader.batch_size=4096', '--run-dir', 'runs/big']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/dlm: ConfigError: train: loader\.batch_size.*wasm backend's 4\.00 GiB/);
    expect(r.err).toMatch(/estimated peak of \d+\.\d+ GiB/);
    expect(r.err).toMatch(/lower loader\.batch_size/);
    expect(existsSync(join(work, 'runs/big'))).toBe(false);
  }, 600_000);
});
