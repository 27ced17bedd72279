// DiffuSeq through the CLI on a tiny run over datasets/examples/moby-dick-reverse: train, `dlm eval` decodes the
// held-out sources (BLEU, ROUGE-L, distinct-n, self-BLEU, NFE; hypotheses written beside results.json for `dlm
// metrics`), MBR over two candidates, `dlm generate` from a text prompt; and the seq2seq bad inputs: a row
// without `trg`, a pair longer than the row, a flag DiffuSeq does not use.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const pairs = fileURLToPath(new URL('../../../datasets/examples/moby-dick-reverse/pairs.jsonl', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dlm-diffuseq-'));
const yaml = (pairsPath: string, extra = '') =>
  [
    'name: dsq',
    `family: { name: diffuseq, diffusion_steps: 100${extra} }`,
    'model: { name: embedding-transformer, hidden_dim: 8, hidden_t_dim: 16, seq_len: 16, hidden_size: 32,',
    '  num_hidden_layers: 1, num_attention_heads: 2, dropout: 0, attention_probs_dropout_prob: 0 }',
    'data:',
    '  dataset: moby-dick',
    '  tokenizer: { name: word, options: { lowercase: true, maxVocab: 501 } }',
    `  pairs: { path: ${JSON.stringify(pairsPath)}, source_field: src, target_field: trg }`,
    'loader: { batch_size: 16, eval_batch_size: 16 }',
    'optim: { lr: 1.0e-3 }',
    'lr_scheduler: { warmup_steps: 0 }',
    'trainer: { max_steps: 6, ema: 0, log_every_n_steps: 3, val_check_interval: 6, checkpoint_every: 6 }',
    'eval: { batches: 1, time_samples: 1 }',
    'sampling: { steps: 5, num_samples: 1 }',
    '',
  ].join('\n');

function dlm(args: string[]) {
  const env = { ...process.env, DLM_THREADS: '1' };
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 600_000, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('diffuseq through the CLI', () => {
  it('train → eval (seq2seq metrics, MBR) → generate', () => {
    writeFileSync(join(work, 'dsq.yaml'), yaml(pairs));
    const t = dlm(['train', 'dsq.yaml', '--run-dir', 'runs/d']);
    expect(t.code, t.err).toBe(0);
    expect(t.out + t.err).toMatch(/validation loss \d+\.\d+ per token/);

    const e = dlm(['eval', 'runs/d', '--limit', '6', '--mbr-candidates', '2', '--json']);
    expect(e.code, e.err).toBe(0);
    const r = JSON.parse(e.out) as {
      likelihood: string;
      terms: { terms: Record<string, { mean: number }> };
      seq2seq: { sources: number; candidates: number; nfe: number; bleu: { score: number }; selfBleu: number };
    };
    expect(r.likelihood).toBe('none');
    expect(Object.keys(r.terms.terms)).toEqual(expect.arrayContaining(['mse', 'rounding_ce', 'rounding_error']));
    expect(r.seq2seq.sources).toBe(6);
    expect(r.seq2seq.candidates).toBe(2);
    expect(r.seq2seq.bleu.score >= 0 && r.seq2seq.bleu.score <= 100).toBe(true);
    // Each prompt-length group decodes twice (two candidates) with 5 network calls each.
    expect(r.seq2seq.nfe % 10).toBe(0);
    const hyps = readFileSync(join(work, 'runs/d/evals/default/eval-hyps.txt'), 'utf8').split('\n');
    const refs = readFileSync(join(work, 'runs/d/evals/default/eval-refs.txt'), 'utf8').split('\n');
    expect(hyps.length).toBe(7); // 6 lines + the final newline
    expect(refs.slice(0, 6).every((x) => x.split(' ').length >= 4)).toBe(true);
    const m = dlm([
      'metrics',
      'bleu',
      '--hyp',
      'runs/d/evals/default/eval-hyps.txt',
      '--ref',
      'runs/d/evals/default/eval-refs.txt',
      '--json',
    ]);
    expect(m.code, m.err).toBe(0);
    expect((JSON.parse(m.out) as { corpus: { bleu: { score: number } } }).corpus.bleu.score).toBeCloseTo(
      r.seq2seq.bleu.score,
      9,
    );

    const g = dlm(['generate', 'runs/d', '--prompt', 'the white whale', '--gen-length', '8', '--steps', '5', '--json']);
    expect(g.code, g.err).toBe(0);
    const out = JSON.parse(g.out) as { ids: number[][]; nfe: number };
    expect(out.ids[0]).toHaveLength(8);
    expect(out.nfe).toBe(5);
    const bad = dlm(['generate', 'runs/d', '--prompt', 'the sea', '--remasking', 'random']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--remasking is not used by family diffuseq.*--gen-length, --steps/s);
  }, 900_000);

  it('bad seq2seq rows: a row without trg, a pair longer than the row; nothing written', () => {
    writeFileSync(join(work, 'no-trg.jsonl'), '{"src": "a b", "trg": "b a"}\n{"src": "c d", "target": "d c"}\n');
    writeFileSync(join(work, 'no-trg.yaml'), yaml(join(work, 'no-trg.jsonl')));
    const a = dlm(['train', 'no-trg.yaml', '--run-dir', 'runs/bad1']);
    expect(a.code).toBe(1);
    expect(a.err).toMatch(/trg/);
    expect(a.err).toMatch(/row 2|line 2/);
    const long = `{"src": "${'the sea '.repeat(6).trim()}", "trg": "${'the sea '.repeat(6).trim()}"}\n`;
    writeFileSync(join(work, 'long.jsonl'), long.repeat(40));
    writeFileSync(join(work, 'long.yaml'), yaml(join(work, 'long.jsonl')));
    const b = dlm(['train', 'long.yaml', '--run-dir', 'runs/bad2']);
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/overflow|longer than|does not fit/);
    expect(existsSync(join(work, 'runs/bad1'))).toBe(false);
    expect(existsSync(join(work, 'runs/bad2'))).toBe(false);
  }, 600_000);
});
