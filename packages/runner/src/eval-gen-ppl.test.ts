// runGenPpl: MDLM samples scored by the gpt2 fixture folder equal a direct GPT-2 teacher-forced computation of the
// retokenized samples; an AR run as the evaluator (its 16 positions force windows); same seed → same numbers;
// bad inputs (an evaluator without a tokenizer or without an exact likelihood, an unknown sampler) are named
// errors with no results file.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, initBackend, shutdownBackend, tf } from '@dlm/core';
import { buildTokenizer } from '@dlm/data';
import { Gpt2Model, teacherForcedLogProbs } from '@dlm/models';
import { saveCheckpoint } from './checkpoint.ts';
import { runGenPpl, type GenPplSample } from './eval-gen-ppl.ts';
import { retokenize } from './gen-ppl-score.ts';
import { openSession } from './session.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
const gpt2 = join(fixturesDir, 'gpt2');
const work = mkdtempSync(join(tmpdir(), 'dlm-gen-ppl-'));
const quiet = { log: () => {} };

async function makeRun(name: string, family: string, model: string): Promise<string> {
  const run = join(work, name);
  mkdirSync(run);
  const yaml = [
    'name: t',
    'seed: 5',
    `family: {name: ${family}}`,
    `model: ${model}`,
    'sampling: {steps: 4}',
    'data:',
    '  dataset: mine',
    '  tokenizer: {name: char-vocab}',
    `  prepared_dir: ${join(work, 'prepared')}`,
    `  files: {all: {format: jsonl, path: ${join(work, 'c.jsonl')}}}`,
  ].join('\n');
  writeFileSync(join(run, 'resolved.yaml'), `${yaml}\n`);
  const s = await openSession({ file: join(run, 'resolved.yaml'), ...quiet });
  const m = s.build();
  saveCheckpoint(join(run, 'checkpoints'), { step: 1, model: m.params.stateDict(), optimizer: new Map(), state: {} });
  m.dispose();
  return run;
}

let mdlm = '';
let ar = '';
beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
  const docs = Array.from({ length: 40 }, (_, i) => ({ text: `call me ishmael ${i}. the whale, the sea. ` }));
  writeFileSync(join(work, 'c.jsonl'), `${docs.map((d) => JSON.stringify(d)).join('\n')}\n`);
  mdlm = await makeRun(
    'mdlm',
    'mdlm',
    '{name: dit, hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: 16}',
  );
  ar = await makeRun('ar', 'ar', '{name: causal-dit, hidden_size: 16, n_heads: 2, n_blocks: 1, length: 16}');
});
afterAll(() => shutdownBackend());

const samplesOf = (out: string): GenPplSample[] =>
  readFileSync(join(out, 'samples.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as GenPplSample);

describe('runGenPpl', () => {
  it('evaluator = the gpt2 folder: each sample is the NLL of GPT-2 teacher forcing on its retokenization', async () => {
    const r = await runGenPpl({ model: mdlm, evaluator: gpt2, num: 3, steps: 4, ...quiet });
    expect(r.out).toBe(join(mdlm, 'evals', 'gen-ppl'));
    expect(r.sampler).toBe('ddpm_cache');
    expect(r.length).toBe(16);
    expect(r.samplingPrecision).toBe('float64');
    expect(r.window).toEqual({ size: 512, stride: 256 });
    expect(r.nfe).toBeGreaterThan(0);
    const samples = samplesOf(r.out);
    expect(samples).toHaveLength(3);
    const s = await openSession({ file: join(mdlm, 'resolved.yaml'), ...quiet });
    const tok = s.data.tokenizer;
    const bpe = await buildTokenizer({ name: 'gpt2' });
    const { model } = Gpt2Model.fromCheckpoint(gpt2);
    const breaks = new Set([s.vocab.bosId!, s.vocab.eosId!]);
    let nats = 0;
    let tokens = 0;
    for (const x of samples) {
      expect(x.ids).toHaveLength(16);
      expect(x.text).toBe(tok.decode(x.ids, { specials: 'skip' }));
      const y = retokenize(x.ids, breaks, tok, bpe, { bos: 50256, eos: 50256 });
      expect(y.ids[0]).toBe(50256);
      const lp = tf.tidy(() => {
        const ids = tf.tensor2d(y.ids, [1, y.ids.length], 'int32');
        return teacherForcedLogProbs(model.logits(ids), ids)[0]!;
      });
      const direct = -lp.reduce((a, v, t) => a + y.weights[t + 1]! * v, 0);
      const counted = y.weights.reduce((a, w) => a + w, 0);
      expect(x.evaluatorTokens).toBe(counted);
      expect(Math.abs(x.nats - direct)).toBeLessThan(1e-4 * (1 + Math.abs(direct)));
      expect(x.perplexity).toBeCloseTo(Math.exp(x.nats / counted), 6);
      nats += direct;
      tokens += counted;
    }
    model.dispose();
    expect(r.tokensScored).toBe(tokens);
    expect(Math.abs(r.natsPerToken - nats / tokens)).toBeLessThan(1e-4);
    expect(r.genPerplexity).toBeCloseTo(Math.exp(r.natsPerToken), 6);
    expect(r.entropy.mean).toBeGreaterThan(0);
    expect(r.distinct[1]).toBeGreaterThan(0);
    expect(r.selfBleu).not.toBeNull();
    expect(readFileSync(join(r.out, 'results.md'), 'utf8')).toMatch(/\| gen\. ppl \|/);
  });

  it('evaluator = an AR run (16 positions: longer samples are windowed); same seed → same numbers', async () => {
    const o = { model: mdlm, evaluator: ar, num: 2, steps: 4, length: 16, ...quiet };
    const a = await runGenPpl({ ...o, out: join(work, 'a1') });
    const b = await runGenPpl({ ...o, out: join(work, 'a2') });
    expect(a.window).toEqual({ size: 16, stride: 8 });
    expect(a.evaluator.family).toBe('ar');
    expect(Number.isFinite(a.genPerplexity) && a.genPerplexity > 1).toBe(true);
    // A char-level evaluator on the same vocabulary: every sample's text tokens plus its first EOS are counted.
    const counted = samplesOf(a.out).reduce((acc, x) => acc + x.evaluatorTokens, 0);
    expect(a.tokensScored).toBe(counted);
    expect(b.genPerplexity).toBe(a.genPerplexity);
    expect(samplesOf(b.out).map((x) => x.ids)).toEqual(samplesOf(a.out).map((x) => x.ids));
  });

  it('bad inputs: named errors and no results file', async () => {
    const out = join(work, 'bad');
    const cases: [Parameters<typeof runGenPpl>[0], RegExp][] = [
      [{ model: mdlm, evaluator: join(fixturesDir, 'llada'), out }, /--evaluator has no tokenizer|has no tokenizer/],
      [{ model: mdlm, evaluator: mdlm, out }, /--evaluator .*mdlm cannot score text exactly.*family mdlm/],
      [{ model: mdlm, evaluator: ar, sampler: 'nope', out }, /--sampler nope is not one.*ddpm_cache/],
      [{ model: ar, evaluator: ar, length: 99, out }, /--length.*at most the model's maximum length 16/],
      [{ model: mdlm, evaluator: ar, num: 0, out }, /--num.*positive integer/],
      [{ model: mdlm, evaluator: join(work, 'missing'), out }, /does not exist/],
    ];
    for (const [opts, re] of cases) {
      const err = await runGenPpl({ ...opts, ...quiet }).catch((e: unknown) => e);
      expect(err, String(re)).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(re);
    }
    expect(existsSync(out)).toBe(false);
  });
});
