// runLikelihood: on a run's own validation split it is bare `dlm eval`'s number (same estimator, batches, seed);
// on local files with the gpt2 fixture folder it is the exact NLL of a direct teacher-forced computation (GPT-2's
// logits, no family code) of the wrap-packed blocks; bad inputs are named errors and leave no results file.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, initBackend, shutdownBackend, tf } from '@dlm/core';
import { buildTokenizer } from '@dlm/data';
import { Gpt2Model, teacherForcedLogProbs } from '@dlm/models';
import { saveCheckpoint } from './checkpoint.ts';
import { runLikelihood } from './eval-likelihood.ts';
import { runEval } from './run-eval.ts';
import { openSession } from './session.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
const gpt2 = join(fixturesDir, 'gpt2');
const work = mkdtempSync(join(tmpdir(), 'dlm-likelihood-'));
const run = join(work, 'run');
const quiet = { log: () => {} };
const TEXT = 'Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse. ';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
  mkdirSync(run);
  // Per-split files: train and validation only, so the run's own data has no test split.
  writeFileSync(join(work, 'train.jsonl'), `${JSON.stringify({ text: TEXT.repeat(30) })}\n`);
  writeFileSync(join(work, 'val.jsonl'), `${JSON.stringify({ text: TEXT.toLowerCase().repeat(12) })}\n`);
  const yaml = [
    'name: t',
    'seed: 3',
    'family: {name: mdlm}',
    'model: {name: dit, hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: 16}',
    'loader: {batch_size: 4, eval_batch_size: 4}',
    'eval: {batches: 3, time_samples: 2}',
    'data:',
    '  dataset: mine',
    '  tokenizer: {name: char-vocab}',
    `  prepared_dir: ${join(work, 'prepared')}`,
    '  files:',
    `    train: {format: jsonl, path: ${join(work, 'train.jsonl')}}`,
    `    validation: {format: jsonl, path: ${join(work, 'val.jsonl')}}`,
  ].join('\n');
  writeFileSync(join(run, 'resolved.yaml'), `${yaml}\n`);
  const s = await openSession({ file: join(run, 'resolved.yaml'), ...quiet });
  const m = s.build();
  saveCheckpoint(join(run, 'checkpoints'), { step: 1, model: m.params.stateDict(), optimizer: new Map(), state: {} });
  m.dispose();
});
afterAll(() => shutdownBackend());

describe('runLikelihood', () => {
  it("on the run's own validation split equals bare dlm eval (same batches, draws and seed)", async () => {
    const bare = await runEval({ runDir: run, batches: 3, ...quiet });
    const lik = await runLikelihood({ model: run, split: 'validation', batches: 3, ...quiet });
    expect(lik.batches).toBe(3);
    expect(lik.sequences).toBe(12);
    expect(lik.timeSamples).toBe(2);
    expect(lik.natsPerToken).toBe(bare.natsPerToken);
    expect(lik.stderrNatsPerToken).toBe(bare.stderrNatsPerToken);
    expect(lik.tokens).toBe(bare.tokens);
    expect(lik.unigramPerplexity).toBe(bare.unigramPerplexity);
    expect(lik.measure).toBe('NELBO');
    expect(lik.relation).toBe('≤');
    // Results in the default folders; bare eval's report is results.json of evals/default.
    expect(lik.out).toBe(join(run, 'evals', 'likelihood'));
    const saved = JSON.parse(readFileSync(join(lik.out, 'results.json'), 'utf8')) as { natsPerToken: number };
    expect(saved.natsPerToken).toBe(lik.natsPerToken);
    expect(readFileSync(join(lik.out, 'results.md'), 'utf8')).toMatch(/\| NELBO \| \d+\.\d{4} \|/);
    const report = JSON.parse(readFileSync(join(run, 'evals', 'default', 'results.json'), 'utf8')) as {
      natsPerToken: number;
    };
    expect(report.natsPerToken).toBe(bare.natsPerToken);
    expect(existsSync(join(run, 'eval.json'))).toBe(false);
    // Another seed draws other times: another bound.
    const other = await runLikelihood({ model: run, split: 'validation', batches: 3, seed: 4, out: join(work, 'o4') });
    expect(other.natsPerToken).not.toBe(lik.natsPerToken);
  });

  it('the gpt2 folder on local files: the exact NLL of GPT-2 teacher forcing over the wrap-packed blocks', async () => {
    const txt = join(work, 'doc.txt');
    const jsonl = join(work, 'docs.jsonl');
    writeFileSync(txt, 'The quick brown fox jumps over the lazy dog, and then it runs back home to sleep.');
    writeFileSync(
      jsonl,
      ['In 1969, Apollo 11 landed on the Moon.', 'Neil Armstrong stepped out first!']
        .map((t) => JSON.stringify({ text: t }))
        .join('\n'),
    );
    const L = 12;
    const r = await runLikelihood({
      model: gpt2,
      data: join(work, 'doc*'),
      length: L,
      batchSize: 2,
      out: join(work, 'g'),
    });
    expect(r.likelihood).toBe('exact');
    expect(r.data.files).toEqual([txt, jsonl]);
    expect(r.unigramPerplexity).toBeNull();
    // Direct: GPT-2 BPE of each document + EOS as one stream, cut into chunks of L − 2, rows [EOS] chunk [EOS]
    // (BOS = EOS = 50256), scored by GPT-2's logits: log p(row[t+1] | row[0..t]); the row's leading BOS is counted
    // as a token with 0 nats (the AR family's convention, as MDLM's AR evaluation).
    const bpe = await buildTokenizer({ name: 'gpt2' });
    const docs = [
      readFileSync(txt, 'utf8'),
      'In 1969, Apollo 11 landed on the Moon.',
      'Neil Armstrong stepped out first!',
    ];
    const stream = docs.flatMap((d) => [...bpe.encode(d), 50256]);
    const rows: number[][] = [];
    for (let i = 0; i + (L - 2) <= stream.length; i += L - 2) rows.push([50256, ...stream.slice(i, i + L - 2), 50256]);
    expect(rows.length).toBe(r.data.blocks);
    expect(r.sequences).toBe(rows.length);
    const { model } = Gpt2Model.fromCheckpoint(gpt2);
    const logProbs = tf.tidy(() => {
      const ids = tf.tensor2d(rows.flat(), [rows.length, L], 'int32');
      return teacherForcedLogProbs(model.logits(ids), ids);
    });
    model.dispose();
    const nats = logProbs.flat().reduce((a, x) => a - x, 0);
    expect(r.tokens).toBe(rows.length * L);
    expect(Math.abs(r.natsPerToken - nats / (rows.length * L))).toBeLessThan(1e-4 * (1 + nats / (rows.length * L)));
    expect(r.perplexity).toBeCloseTo(Math.exp(r.natsPerToken), 6);
  });

  it('bad inputs: named errors and no results file', async () => {
    const out = join(work, 'bad');
    const o = { out, ...quiet };
    const cases: [Parameters<typeof runLikelihood>[0], RegExp][] = [
      [{ model: run, data: 'no-such-corpus', ...o }, /--data no-such-corpus is not a known dataset.*moby-dick, sotu/],
      [{ model: run, data: join(work, 'missing.txt'), ...o }, /missing\.txt does not exist/],
      [{ model: run, data: join(work, 'nothing*.txt'), ...o }, /matches no file/],
      [{ model: run, ...o }, /--split test is not available.*train, validation/],
      [
        { model: run, data: 'moby-dick', split: 'validation', length: 99, ...o },
        /--length.*at most the model's maximum length 16/,
      ],
      [{ model: gpt2, ...o }, /--data is required for a checkpoint folder/],
      [{ model: join(fixturesDir, 'llada'), data: join(work, 'doc.txt'), ...o }, /has no tokenizer/],
      [{ model: run, batches: 0, ...o }, /--batches.*positive integer/],
    ];
    for (const [opts, re] of cases) {
      const err = await runLikelihood(opts).catch((e: unknown) => e);
      expect(err, String(re)).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(re);
    }
    expect(existsSync(out)).toBe(false);
  });
});
