// `dlm eval generate` on the gpt2 checkpoint folder of the fixtures (AR family, GPT-2 BPE): greedy generations
// equal a plain teacher-forced argmax of the layout's own GPT-2 forward (an independent loader and no key/value
// cache) wherever the top-2 margin is ≥ 1e-3, and so do those of a tiny trained AR run (causal-dit, characters:
// the argmax over every next character of the family's exact teacher-forced NLL); a killed evaluation resumes
// to the same records; bad inputs are named errors that leave no output directory.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from '@dlm/core';
import { Gpt2Model } from '@dlm/models';
import { describe, expect, it } from 'vitest';
import { openModel } from './open-model.ts';
import { runEvalGenerate, type EvalGenerateRecord } from './run-eval-generate.ts';
import { runTrain } from './run-train.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
const gpt2 = join(fixturesDir, 'gpt2');
const work = mkdtempSync(join(tmpdir(), 'dlm-eval-generate-'));
const quiet = { log: () => {}, progress: () => {} };

const rows = [
  { prompt: 'The quick brown fox', answer: 'jumps' },
  { prompt: 'In 1969, Apollo 11 landed on', answer: 'the' },
  { prompt: 'Call me Ishmael. Some years ago', answer: 'never' },
  { prompt: 'It was the best of times,', answer: 'it' },
  { prompt: 'Q: 2+2?\nA: #### 4\n\nQ: 3+3?\nA:', answer: '#### 6' },
];
const taskFile = join(work, 'task.jsonl');
writeFileSync(taskFile, rows.map((r) => JSON.stringify(r)).join('\n'));
const recordsOf = (out: string) =>
  readFileSync(join(out, 'rows.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as EvalGenerateRecord);

/** Indices of the largest and the second largest value. */
function top2(row: readonly number[]): [number, number] {
  let [a, b] = row[0]! >= row[1]! ? [0, 1] : [1, 0];
  for (let i = 2; i < row.length; i++) {
    if (row[i]! > row[a]!) [a, b] = [i, a];
    else if (row[i]! > row[b]!) b = i;
  }
  return [a, b];
}

describe('runEvalGenerate (gpt2 folder)', () => {
  const G = 8;
  const out = join(work, 'greedy');
  const run = runEvalGenerate({ model: gpt2, task: taskFile, genLength: G, extract: 'first-word', out, ...quiet });

  it('greedy AR generations are the teacher-forced argmax where the top-2 margin is ≥ 1e-3', async () => {
    const r = await run;
    expect(r.family).toBe('ar');
    expect(r.rows).toBe(rows.length);
    expect(r.nfe).toBe(rows.length * G); // one network call per token, batch 1
    const records = recordsOf(out);
    const { model } = Gpt2Model.fromCheckpoint(gpt2);
    const { buildTokenizer } = await import('@dlm/data');
    const tok = await buildTokenizer({ name: 'gpt2' });
    let checked = 0;
    try {
      for (const rec of records) {
        const prompt = Array.from(tok.encode(rec.prompt));
        const ids = [...prompt, ...rec.ids];
        const logits = tf.tidy(() => model.logits(tf.tensor2d(ids, [1, ids.length], 'int32')).arraySync()[0]!);
        for (let t = 0; t < G; t++) {
          const row = logits[prompt.length - 1 + t]!; // predicts ids[P + t]
          const [arg, next] = top2(row);
          const [top, second] = [row[arg]!, row[next]!];
          if (top - second >= 1e-3) {
            expect(rec.ids[t], `row ${rec.index} position ${t}`).toBe(arg);
            checked++;
          } else {
            expect([arg, next]).toContain(rec.ids[t]);
          }
        }
      }
    } finally {
      model.dispose();
    }
    expect(checked).toBeGreaterThanOrEqual(rows.length * G - 2);
    // Scored by exact match of the rule's answer: the records agree with their own text.
    for (const rec of records) {
      expect(rec.correct).toBe(rec.extracted === rec.gold);
      expect(rec.gold).toBe(rows[rec.index]!.answer.trim());
    }
    expect(r.correct).toBe(records.filter((x) => x.correct).length);
    for (const f of ['results.json', 'results.md', 'results.arrow', 'rows.jsonl', 'progress.jsonl']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { accuracy: number; stderr: number };
    expect(json.accuracy).toBe(r.correct / rows.length);
  });

  it('left-padded batches give the same greedy tokens as batch 1', async () => {
    const b = await runEvalGenerate({
      model: gpt2,
      task: taskFile,
      genLength: G,
      extract: 'first-word',
      batch: 3,
      out: join(work, 'batch3'),
      ...quiet,
    });
    expect(b.nfe).toBe(2 * G); // two batches (3 + 2 rows)
    expect(recordsOf(join(work, 'batch3')).map((x) => x.ids)).toEqual(recordsOf(out).map((x) => x.ids));
  });

  it('a killed evaluation (2 rows recorded, a torn third line) resumes to the same records', async () => {
    await run;
    const resumed = join(work, 'resumed');
    const full = readFileSync(join(out, 'progress.jsonl'), 'utf8').split('\n');
    // Header + two finished rows + half of the third: what a kill in the middle of a write leaves.
    mkdirSync(resumed);
    writeFileSync(join(resumed, 'progress.jsonl'), `${full.slice(0, 3).join('\n')}\n${full[3]!.slice(0, 40)}`);
    const r = await runEvalGenerate({
      model: gpt2,
      task: taskFile,
      genLength: G,
      extract: 'first-word',
      out: resumed,
      ...quiet,
    });
    expect(r.fresh).toBe(rows.length - 2);
    const strip = (x: EvalGenerateRecord) => ({ ...x, batchSeconds: 0 });
    expect(recordsOf(resumed).map(strip)).toEqual(recordsOf(out).map(strip));
    // Another evaluation in the same directory is refused; --restart starts over.
    await expect(
      runEvalGenerate({ model: gpt2, task: taskFile, genLength: 4, out: resumed, ...quiet }),
    ).rejects.toThrow(/--out.*holds another evaluation/s);
    const again = await runEvalGenerate({
      model: gpt2,
      task: taskFile,
      genLength: 4,
      out: resumed,
      restart: true,
      ...quiet,
    });
    expect(again.fresh).toBe(rows.length);
  });

  it('bad inputs are named errors and leave no output directory', async () => {
    const bad = join(work, 'bad');
    const noAnswer = join(work, 'no-answer.jsonl');
    writeFileSync(noAnswer, '{"prompt": "a b c"}\n');
    const long = join(work, 'long.jsonl');
    writeFileSync(long, `${JSON.stringify({ prompt: 'whale '.repeat(600), answer: 'x' })}\n`);
    const cases: [Parameters<typeof runEvalGenerate>[0], RegExp][] = [
      [{ model: gpt2, task: noAnswer }, /no-answer\.jsonl:1 answer.*is missing/s],
      [
        { model: gpt2, task: taskFile, genLength: 600 },
        /task\.jsonl:1 prompt is too long.*maximum length 512.*got 4 \+ 600/s,
      ],
      [{ model: gpt2, task: long }, /long\.jsonl:1 prompt is too long.*got 6\d\d \+ 1 tokens/s],
      [{ model: gpt2, task: taskFile, steps: 4 }, /--steps.*not used by family ar.*--gen-length, --temperature/s],
      [{ model: gpt2, task: taskFile, extract: 'last-word' }, /answer extraction rule.*first-word/s],
      [{ model: gpt2, task: taskFile, extract: 'regex' }, /--regex.*is missing/s],
      [{ model: gpt2, task: taskFile, topP: 2 }, /top-p/],
      [{ model: gpt2, task: taskFile, batch: 0 }, /--batch.*an integer ≥ 1/s],
      [{ model: join(fixturesDir, 'llada'), task: taskFile }, /has no tokenizer/],
      [{ model: join(work, 'nothing'), task: taskFile }, /does not exist/],
    ];
    for (const [o, msg] of cases) {
      await expect(runEvalGenerate({ ...o, out: bad, ...quiet }), String(msg)).rejects.toThrow(msg);
      expect(existsSync(bad)).toBe(false);
    }
  });
});

describe('runEvalGenerate (a tiny trained AR run)', () => {
  it('greedy generations are the teacher-forced argmax of the exact NLL where the top-2 margin is ≥ 1e-3', async () => {
    const cacheBefore = process.env['DLM_CACHE_DIR'];
    process.env['DLM_CACHE_DIR'] = join(work, 'cache');
    const proj = join(work, 'proj');
    mkdirSync(proj);
    const text = 'the whale swam in the deep sea and the ship sailed on the sea. ';
    writeFileSync(
      join(proj, 'c.jsonl'),
      Array.from({ length: 60 }, (_, i) => JSON.stringify({ text: `${i} ${text.repeat(3)}` })).join('\n'),
    );
    writeFileSync(
      join(proj, 'ar.yaml'),
      [
        'name: tiny-ar',
        'seed: 3',
        'family: {name: ar}',
        'model: {name: causal-dit, hidden_size: 32, n_heads: 2, n_blocks: 1, length: 32, dropout: 0.0}',
        'data: {dataset: mine, tokenizer: {name: char-vocab}, packing: wrap, files: {all: {format: jsonl, path: c.jsonl}}}',
        'loader: {batch_size: 8, eval_batch_size: 8}',
        'optim: {lr: 3.0e-3, weight_decay: 0.0}',
        'trainer: {max_steps: 120, log_every_n_steps: 120, val_check_interval: 120, checkpoint_every: 120}',
        'eval: {batches: 1, time_samples: 1}',
        'sampling: {predictor: greedy, num_samples: 1}',
      ].join('\n'),
    );
    const runDir = join(work, 'ar-run');
    await runTrain({
      file: join(proj, 'ar.yaml'),
      runDir,
      argv: [],
      noSamples: true,
      log: () => {},
    });
    const task = join(work, 'sea.jsonl');
    writeFileSync(
      task,
      ['the whale swam in', 'and the ship', 'sailed on the', 'swam in the deep']
        .map((p) => JSON.stringify({ prompt: p, answer: 'sea' }))
        .join('\n'),
    );
    const G = 6;
    const out = join(work, 'ar-run-eval');
    // The raw weights (--no-ema): after 120 steps an EMA copy is still close to the zero-initialised head.
    const r = await runEvalGenerate({
      model: runDir,
      task,
      genLength: G,
      extract: 'first-word',
      noEma: true,
      out,
      ...quiet,
    });
    expect(r.bos).toBe(true);
    const m = await openModel(runDir, { noEma: true, log: () => {} });
    let checked = 0;
    try {
      const V = m.vocab.size;
      for (const rec of recordsOf(out)) {
        const prefix = [m.vocab.bosId!, ...m.tokenizer!.encode(rec.prompt)];
        for (let t = 0; t < G; t++) {
          // Every next token v after prompt + the first t generated: V rows that differ in their last token only,
          // so nats(row v) = −log p(v | prefix) + the same constant.
          const L = prefix.length + t + 1;
          const ids = new Int32Array(V * L);
          for (let v = 0; v < V; v++) {
            ids.set([...prefix, ...rec.ids.slice(0, t)], v * L);
            ids[v * L + L - 1] = v;
          }
          const nats = Array.from(m.model.nll({ ids: { data: ids, shape: [V, L] } }, m.rng).nats, (x) => -x);
          const [arg, next] = top2(nats);
          if (nats[arg]! - nats[next]! >= 1e-3) {
            expect(rec.ids[t], `row ${rec.index} position ${t}`).toBe(arg);
            checked++;
          } else {
            expect([arg, next]).toContain(rec.ids[t]);
          }
        }
      }
    } finally {
      m.dispose();
      if (cacheBefore === undefined) delete process.env['DLM_CACHE_DIR'];
      else process.env['DLM_CACHE_DIR'] = cacheBefore;
    }
    expect(checked).toBeGreaterThanOrEqual(4 * G - 2);
  });
});
