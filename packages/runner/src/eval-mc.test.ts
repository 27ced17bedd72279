// runEvalMc: a killed evaluation resumes to the numbers of an uninterrupted one; bad inputs are named errors
// before anything is written (no --out directory left). On the gpt2 checkpoint fixture (the MC fixture's model).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, shutdownBackend, checkpointFixtureFolder } from '@dlm/core';
import { families } from '@dlm/models';
import { continuationEstimator, runEvalMc } from './eval-mc.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const mcDir = process.env['DLM_MC_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/mc');
const tmp = mkdtempSync(join(tmpdir(), 'dlm-mc-'));
const quiet = { progress: () => {}, log: () => {} };

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  shutdownBackend();
});

describe('dlm eval mc (runner)', () => {
  it('a run stopped after 2 questions resumes to the results of an uninterrupted run', async () => {
    const gpt2 = checkpointFixtureFolder('gpt2');
    const base = { model: gpt2, task: mcDir, limit: 2, shots: 1, ...quiet };
    const full = await runEvalMc({ ...base, out: join(tmp, 'full') });
    const out = join(tmp, 'killed');
    await expect(runEvalMc({ ...base, out, stopAfter: 2 })).rejects.toThrow(/stopped after 2 questions/);
    const log = readFileSync(join(out, 'progress.jsonl'), 'utf8').trim().split('\n');
    expect(log).toHaveLength(3); // the fingerprint line and two questions
    expect(existsSync(join(out, 'results.json'))).toBe(false);
    const resumed = await runEvalMc({ ...base, out });
    expect(resumed.questions).toBe(6);
    expect({ ...resumed, out: '' }).toEqual({ ...full, out: '' });
    expect(readFileSync(join(out, 'questions.jsonl'), 'utf8')).toBe(
      readFileSync(join(tmp, 'full', 'questions.jsonl'), 'utf8'),
    );
    for (const f of ['results.json', 'results.md', 'results.arrow']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toContain('| **overall (micro)** | 6 |');
    // Another knob is another evaluation: a named error, not a silent mix.
    await expect(runEvalMc({ ...base, shots: 0, out })).rejects.toThrow(/holds another evaluation/);
  });

  it('bad inputs are named errors (file:line, what was expected) and leave no --out directory', async () => {
    const gpt2 = checkpointFixtureFolder('gpt2');
    const d = mkdtempSync(join(tmp, 'bad-'));
    const csv = join(d, 'physics_test.csv');
    const out = join(d, 'out');
    const cases: [string, string, RegExp][] = [
      [
        csv,
        'q,a,b,c,d,A\nq,a,b,c,B\n',
        /physics_test\.csv:2, expected 6 fields: question, A, B, C, D, answer letter, got 5/,
      ],
      [csv, 'q,a,b,c,d,F\n', /physics_test\.csv:1, expected an answer letter A, B, C or D, got "F"/],
      [
        join(d, 'c.jsonl'),
        '{"context":"a","choices":["x","y"],"label":-1}\n',
        /c\.jsonl:1 "label", expected an integer index into its 2 choices/,
      ],
    ];
    for (const [file, text, err] of cases) {
      writeFileSync(file, text);
      await expect(runEvalMc({ model: gpt2, task: file, out, ...quiet })).rejects.toThrow(err);
      expect(existsSync(out), `${file}: no output`).toBe(false);
    }
    writeFileSync(csv, 'q,a,b,c,d,A\n');
    await expect(runEvalMc({ model: gpt2, task: csv, shots: 1, out, ...quiet })).rejects.toThrow(
      /--shots, expected at most 0 shots/,
    );
    await expect(runEvalMc({ model: gpt2, task: csv, mcNum: 8, out, ...quiet })).rejects.toThrow(/--mc-num/);
    await expect(runEvalMc({ model: checkpointFixtureFolder('llada'), task: csv, out, ...quiet })).rejects.toThrow(
      /has no tokenizer/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('families without an estimator (Diffusion-LM, DiffuSeq) are a named error listing those with one', () => {
    for (const name of ['ar', 'llada', 'mdlm', 'sedd'])
      expect(continuationEstimator(families.get(name), 'x')).toBeDefined();
    for (const name of ['diffusion-lm', 'diffuseq']) {
      expect(() => continuationEstimator(families.get(name), 'runs/x')).toThrow(
        `dlm eval mc: runs/x has no estimator of log p(continuation | context), expected a family with a conditional log-likelihood estimator (mdlm, sedd, ar, llada), got family ${name}`,
      );
    }
  });
});
