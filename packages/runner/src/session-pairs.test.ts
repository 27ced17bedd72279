// data.pairs through a session: the experiment opens the pairs with the dataset's tokenizer, holds out
// every validation_every-th pair, and hands out SFT batches with their prompt mask; a resumed
// train loop over the pairs reproduces the uninterrupted run; rows missing `response` are a named error.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@dlm/core';
import { PairFieldError } from '@dlm/data';
import { MetricsLog } from './metrics.ts';
import { openSession } from './session.ts';
import { trainSourceOf } from './train-source.ts';
import { toTokenBatch, train } from './train-loop.ts';
import { trainOptionsOf } from './run-train.ts';
import { unigramBaseline, validationBatches } from './validation.ts';

const dir = mkdtempSync(join(tmpdir(), 'dlm-session-pairs-'));
const text = 'the whale swam. the ship sailed on. call me ishmael. the sea was calm and grey.\n';
writeFileSync(join(dir, 'train.txt'), text.repeat(4));
writeFileSync(join(dir, 'valid.txt'), text);
const pairs = Array.from({ length: 12 }, (_, i) => ({
  prompt: i % 2 ? 'the whale' : 'call me',
  response: ` sw${'a'.repeat(i % 4)}m.`,
}));
writeFileSync(join(dir, 'pairs.jsonl'), pairs.map((p) => JSON.stringify(p)).join('\n'));
writeFileSync(join(dir, 'bad.jsonl'), '{"prompt": "a", "response": "b"}\n{"prompt": "c", "answer": "d"}\n');

const yaml = (pairsFile: string, extra = '') => {
  const f = join(dir, `exp-${pairsFile}-${extra.length}.yaml`);
  writeFileSync(
    f,
    [
      'family: {name: llada, objective: sft, temperature: 1.0}',
      'model: {name: llada, d_model: 16, n_heads: 2, n_layers: 1, mlp_hidden_size: 32, max_sequence_length: 20}',
      'data:',
      '  dataset: tiny',
      '  tokenizer: {name: char-vocab}',
      '  files: {train: {format: txt, path: train.txt}, validation: {format: txt, path: valid.txt}}',
      `  pairs: {path: ${pairsFile}, validation_every: 4}`,
      'loader: {batch_size: 3, eval_batch_size: 2}',
      'lr_scheduler: {warmup_steps: 0}',
      'trainer: {max_steps: 6, ema: 0.5, log_every_n_steps: 1, val_check_interval: 3, checkpoint_every: 3}',
      'eval: {batches: 2, time_samples: 2}',
      extra,
    ].join('\n'),
  );
  return f;
};

beforeAll(async () => {
  process.env['DLM_CACHE_DIR'] = join(dir, 'cache');
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('session with data.pairs (LLaDA SFT)', () => {
  it('opens the pairs: 9 train rows, 3 held out, batches with the prompt mask', async () => {
    const s = await openSession({ file: yaml('pairs.jsonl'), log: () => {} });
    expect(s.pairs!.train.shape).toEqual([9, 20]);
    expect(s.pairs!.validation.pairIds.length).toBe(3);
    const bos = s.vocab.bosId!,
      eos = s.vocab.eosId!;
    const b = toTokenBatch(trainSourceOf(s).first.next());
    expect(b.ids.shape).toEqual([3, 20]);
    for (let r = 0; r < 3; r++) {
      const row = [...b.ids.data.subarray(r * 20, (r + 1) * 20)];
      const prompt = [...b.promptMask!.data.subarray(r * 20, (r + 1) * 20)].reduce((a, c) => a + c, 0);
      expect(row[0]).toBe(bos);
      expect([1 + 'call me'.length, 1 + 'the whale'.length]).toContain(prompt); // BOS + prompt
      expect(row[19]).toBe(eos); // EOS pads the answer to the row
    }
    const val = validationBatches(s);
    expect(val.map((v) => v.ids.shape)).toEqual([
      [2, 20],
      [1, 20],
    ]); // every held-out pair, the last batch partial
    expect(val[0]!.promptMask).toBeDefined();
    const model = s.build();
    const draw = model.nll(val[0]!, s.rng.split('t'));
    // The bound scores the answers: response + EOS padding = 20 − (BOS + prompt).
    const answer = (r: number) =>
      20 - [...val[0]!.promptMask!.data.subarray(r * 20, (r + 1) * 20)].reduce((a, c) => a + c, 0);
    expect([...draw.tokens]).toEqual([answer(0), answer(1)]);
    model.dispose();
    expect(unigramBaseline(s).perplexity).toBeGreaterThan(1);
    // The run's data.json records the pairs file, so a changed file is reported on resume.
    expect(s.data.record.files?.find((f) => f.split === 'pairs')).toMatchObject({
      path: join(dir, 'pairs.jsonl'),
      format: 'jsonl',
    });
  });

  it('a killed and resumed SFT run reproduces the uninterrupted one (PairLoader state in the checkpoint)', async () => {
    const s = await openSession({ file: yaml('pairs.jsonl'), log: () => {} });
    const opts = trainOptionsOf(s);
    const ctx = (runDir: string, resume: boolean) => {
      const src = trainSourceOf(s);
      return {
        runDir,
        model: s.build(),
        train: src.first,
        restoreTrain: src.restore,
        valBatches: validationBatches(s),
        rng: s.rng,
        resume,
      };
    };
    const full = mkdtempSync(join(dir, 'full-'));
    const a = ctx(full, false);
    await train(a, opts);
    const cut = mkdtempSync(join(dir, 'cut-'));
    const b0 = ctx(cut, false);
    const kill = (row: { step: number }) => {
      if (row.step === 5) throw new Error('killed');
    };
    await expect(train({ ...b0, hooks: { onStep: kill } }, opts)).rejects.toThrow('killed');
    const b = ctx(cut, true);
    await train(b, opts);
    const rows = (d: string) => new MetricsLog(join(d, 'metrics.jsonl')).read().map(({ tokens_per_sec: _, ...r }) => r);
    expect(rows(cut)).toEqual(rows(full));
    expect(rows(full).some((r) => typeof r['nll'] === 'number')).toBe(true);
    for (const m of [a.model, b0.model, b.model]) m.dispose();
  });

  it('a pair row without its response field is a PairFieldError naming the row and field', async () => {
    const err = await openSession({ file: yaml('bad.jsonl', '#'), log: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PairFieldError);
    expect(String((err as Error).message)).toMatch(/row 2 field "response"/);
  });
});
