// `dlm eval` (bare), `dlm eval likelihood` and `dlm eval gen-ppl` as processes on tiny MDLM and AR runs trained
// here (4 steps on a local file) and on the gpt2 fixture folder: results in --out (default inside the run, or
// evals/<folder>/ under the working directory), --json summaries, likelihood on the run's validation split equal to
// bare eval's, on another registered dataset, and bad inputs as named errors (exit 1) with no results file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
const gpt2 = join(fixturesDir, 'gpt2');
const work = mkdtempSync(join(tmpdir(), 'dlm-eval-verbs-'));

const yaml = (family: string, model: string) =>
  [
    `name: ${family}`,
    'seed: 2',
    `family: { name: ${family} }`,
    `model: ${model}`,
    'data:',
    '  dataset: mine',
    '  tokenizer: { name: char-vocab }',
    `  files: { all: { format: jsonl, path: ${JSON.stringify(join(work, 'c.jsonl'))} } }`,
    'loader: { batch_size: 8, eval_batch_size: 8 }',
    'trainer: { max_steps: 4, ema: 0, log_every_n_steps: 2, val_check_interval: 4, checkpoint_every: 4 }',
    'eval: { batches: 2, time_samples: 2 }',
    'sampling: { steps: 4, num_samples: 1 }',
    '',
  ].join('\n');

function dlm(args: string[]) {
  const env = { ...process.env, DLM_THREADS: '1' };
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 600_000, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  const docs = Array.from({ length: 60 }, (_, i) => JSON.stringify({ text: `Call me Ishmael, ${i} years ago. ` }));
  writeFileSync(join(work, 'c.jsonl'), `${docs.join('\n')}\n`);
  writeFileSync(
    join(work, 'mdlm.yaml'),
    yaml('mdlm', '{ name: dit, hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: 16 }'),
  );
  writeFileSync(
    join(work, 'ar.yaml'),
    yaml('ar', '{ name: causal-dit, hidden_size: 16, n_heads: 2, n_blocks: 1, length: 16 }'),
  );
  for (const f of ['mdlm', 'ar']) {
    const t = dlm(['train', `${f}.yaml`, '--run-dir', `runs/${f}`]);
    expect(t.code, t.err).toBe(0);
  }
});

interface Lik {
  natsPerToken: number;
  stderrNatsPerToken: number;
  tokens: number;
  data: { name: string; split: string };
  out: string;
}

describe('dlm eval verbs (process)', () => {
  it('bare eval writes evals/default, likelihood on the validation split equals it, another dataset runs', () => {
    const bare = dlm(['eval', 'runs/mdlm', '--json']);
    expect(bare.code, bare.err).toBe(0);
    const b = JSON.parse(bare.out) as { natsPerToken: number; stderrNatsPerToken: number; out: string };
    expect(b.out).toBe(join('runs/mdlm', 'evals', 'default'));
    const saved = JSON.parse(readFileSync(join(work, 'runs/mdlm/evals/default/results.json'), 'utf8')) as typeof b;
    expect(saved.natsPerToken).toBe(b.natsPerToken);
    expect(existsSync(join(work, 'runs/mdlm/evals/default/results.md'))).toBe(true);
    expect(existsSync(join(work, 'runs/mdlm/eval.json'))).toBe(false);

    const own = dlm(['eval', 'likelihood', 'runs/mdlm', '--split', 'validation', '--batches', '2', '--json']);
    expect(own.code, own.err).toBe(0);
    const l = JSON.parse(own.out) as Lik;
    expect(l.natsPerToken).toBe(b.natsPerToken);
    expect(l.stderrNatsPerToken).toBe(b.stderrNatsPerToken);
    expect(existsSync(join(work, 'runs/mdlm/evals/likelihood/results.json'))).toBe(true);

    const zs = dlm(['eval', 'likelihood', 'runs/mdlm', '--data', 'moby-dick', '--batches', '1', '--out', 'zs']);
    expect(zs.code, zs.err).toBe(0);
    expect(zs.out).toMatch(/data +moby-dick test split \(wrap packing, blocks of 16/);
    expect(zs.out).toMatch(/NELBO +\d+\.\d{4} ± \d+\.\d{4} nats\/token \(1 s\.e\.; 8 sequences, 128 tokens counted/);
    expect(zs.out).toMatch(/unigram baseline +\d+\.\d{3}/);
    const z = JSON.parse(readFileSync(join(work, 'zs/results.json'), 'utf8')) as Lik;
    expect(z.tokens).toBe(128);
    expect(z.data).toMatchObject({ name: 'moby-dick', split: 'test' });
  });

  it('likelihood of the gpt2 folder on local files writes evals/gpt2/likelihood under the working directory', () => {
    writeFileSync(join(work, 'story.txt'), 'The whale swam past the ship. The sailors watched it dive and rise again.');
    const r = dlm(['eval', 'likelihood', gpt2, '--data', 'story.txt', '--length', '8', '--json']);
    expect(r.code, r.err).toBe(0);
    const l = JSON.parse(r.out) as Lik & { measure: string; relation: string; sequences: number };
    expect(l.measure).toBe('NLL');
    expect(l.relation).toBe('=');
    expect(l.sequences).toBe(3); // 17 GPT-2 BPE tokens + EOS = 18, in chunks of 8 − 2 = 6
    expect(l.out).toBe(join('evals', 'gpt2', 'likelihood'));
    expect(existsSync(join(work, 'evals/gpt2/likelihood/results.json'))).toBe(true);
  });

  it('gen-ppl of the MDLM run under the AR run and under the gpt2 folder', () => {
    for (const evaluator of ['runs/ar', gpt2]) {
      const out = evaluator === gpt2 ? 'gp-gpt2' : 'gp-ar';
      const r = dlm(['eval', 'gen-ppl', 'runs/mdlm', '--evaluator', evaluator, '--num', '3', '--out', out, '--json']);
      expect(r.code, r.err).toBe(0);
      const g = JSON.parse(r.out) as {
        genPerplexity: number;
        tokensScored: number;
        nfe: number;
        num: number;
        steps: number;
        entropy: { mean: number };
        selfBleu: number;
      };
      expect(g.num).toBe(3);
      expect(g.steps).toBe(4);
      expect(g.nfe).toBeGreaterThan(0);
      expect(g.tokensScored).toBeGreaterThan(0);
      expect(Number.isFinite(g.genPerplexity) && g.genPerplexity > 1).toBe(true);
      expect(g.entropy.mean).toBeGreaterThan(0);
      const lines = readFileSync(join(work, out, 'samples.jsonl'), 'utf8')
        .trim()
        .split('\n');
      expect(lines).toHaveLength(3);
    }
    const text = dlm(['eval', 'gen-ppl', 'runs/ar', '--evaluator', 'runs/ar', '--num', '2', '--out', 'gp-self']);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/gen\. perplexity +\d+\.\d{3}/);
    expect(text.out).toMatch(/unigram entropy +\d+\.\d{4} ± /);
    expect(text.out).toMatch(/distinct-1\/2\/3 +\d\.\d{4} \/ /);
  });

  it('bad inputs: named errors, exit 1, no results file', () => {
    const cases: [string[], RegExp][] = [
      [['likelihood', 'runs/mdlm', '--data', 'nosuch'], /--data nosuch is not a known dataset.*moby-dick/],
      [['likelihood', 'runs/mdlm', '--data', 'gone.txt'], /gone\.txt does not exist/],
      [['likelihood', gpt2], /--data is required for a checkpoint folder/],
      [['likelihood', 'runs/mdlm', '--data', 'moby-dick', '--length', '64'], /--length.*at most.*16/],
      [['gen-ppl', 'runs/mdlm', '--evaluator', join(fixturesDir, 'llada')], /has no tokenizer/],
      [['gen-ppl', 'runs/mdlm', '--evaluator', 'runs/mdlm'], /cannot score text exactly/],
    ];
    for (const [args, re] of cases) {
      const r = dlm(['eval', ...args, '--out', 'bad']);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(re);
      expect(existsSync(join(work, 'bad'))).toBe(false);
    }
  });
});
