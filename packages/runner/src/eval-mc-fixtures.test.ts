// `dlm eval mc` on the multiple-choice fixture (DLM_MC_FIXTURES_DIR, else ../shared/fixtures/mc; README `mc/`):
// the model is the folder expected.json names in model.checkpoint (relative to the MC folder). Every setting (0 and
// 5 shots), every question: each per-choice loglik within |a − b| ≤ atol + rtol·|a|, is_greedy, prompt_token_count,
// continuation_token_ids, pred and correct exactly, and every accuracy exactly; prompt_examples: the full prompt
// text and its token ids.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, shutdownBackend } from '@dlm/core';
import { mcContext, mcTemplates, openMcTask } from '@dlm/eval';
import { openModel } from './open-model.ts';
import { runEvalMc, type McRecord } from './eval-mc.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = process.env['DLM_MC_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/mc');
const LETTERS = ['A', 'B', 'C', 'D'] as const;
type Letter = (typeof LETTERS)[number];

interface ExpectedQuestion {
  subject: string;
  index: number;
  answer: Letter;
  loglik: Record<Letter, number>;
  is_greedy: Record<Letter, boolean>;
  pred: Letter;
  correct: boolean;
  continuation_token_ids: Record<Letter, number[]>;
  prompt_token_count: number;
}
interface Expected {
  model: { checkpoint: string };
  tolerance: { loglik: { rtol: number; atol: number } };
  settings: {
    num_fewshot: number;
    questions: ExpectedQuestion[];
    accuracy: {
      per_subject: Record<string, number>;
      per_subject_counts: Record<string, [number, number]>;
      overall_micro: number;
      overall_macro: number;
    };
  }[];
  prompt_examples: {
    subject: string;
    index: number;
    num_fewshot: number;
    prompt: string;
    prompt_token_ids: number[];
  }[];
}

const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
const checkpoint = resolve(dir, expected.model.checkpoint);
const out = mkdtempSync(join(tmpdir(), 'dlm-mc-fixture-'));

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  shutdownBackend();
});

describe(`dlm eval mc on the MC fixture (${dir}, model ${checkpoint})`, () => {
  it.each(expected.settings.map((s) => [s.num_fewshot, s] as const))(
    '%i-shot: every loglik, token count, prediction and accuracy',
    async (shots, setting) => {
      const o = join(out, `shots-${shots}`);
      const r = await runEvalMc({ model: checkpoint, task: dir, shots, out: o, progress: () => {} });
      const records = readFileSync(join(o, 'questions.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as McRecord);
      expect(records).toHaveLength(setting.questions.length);
      const byKey = new Map(records.map((q) => [`${q.subject}#${q.index}`, q]));
      const { rtol, atol } = expected.tolerance.loglik;
      for (const e of setting.questions) {
        const g = byKey.get(`${e.subject}#${e.index}`)!;
        const at = `${shots}-shot ${e.subject} #${e.index}`;
        expect(g, at).toBeDefined();
        LETTERS.forEach((L, i) => {
          const diff = Math.abs(e.loglik[L] - g.loglik[i]!);
          expect(diff, `${at} loglik ${L}: ${g.loglik[i]} vs ${e.loglik[L]}`).toBeLessThanOrEqual(
            atol + rtol * Math.abs(e.loglik[L]),
          );
          expect(g.is_greedy![i], `${at} is_greedy ${L}`).toBe(e.is_greedy[L]);
          expect(g.continuation_token_ids[i], `${at} continuation ${L}`).toEqual(e.continuation_token_ids[L]);
        });
        expect(g.prompt_token_count, `${at} prompt_token_count`).toBe(e.prompt_token_count);
        expect(LETTERS[g.gold], `${at} answer`).toBe(e.answer);
        expect(LETTERS[g.pick], `${at} pred`).toBe(e.pred);
        expect(g.correct, `${at} correct`).toBe(e.correct);
        expect(g.truncated).toBe(false);
      }
      const a = r.accuracy;
      expect(a.per_subject).toEqual(setting.accuracy.per_subject);
      expect(a.per_subject_counts).toEqual(setting.accuracy.per_subject_counts);
      expect(a.overall_micro).toBe(setting.accuracy.overall_micro);
      expect(a.overall_macro).toBe(setting.accuracy.overall_macro);
      expect(r.truncated_prompts).toBe(0);
      expect(r.num_fewshot).toBe(shots);
    },
  );

  it('prompt_examples: the full prompt text and its token ids', async () => {
    const task = await openMcTask(dir);
    const m = await openModel(checkpoint);
    try {
      for (const p of expected.prompt_examples) {
        const q = task.questions.find((x) => x.subject === p.subject && x.index === p.index)!;
        const text = mcContext(task, q, mcTemplates.get('mmlu'), p.num_fewshot);
        expect(text, `${p.subject} #${p.index} ${p.num_fewshot}-shot`).toBe(p.prompt);
        expect(Array.from(m.tokenizer!.encode(text))).toEqual(p.prompt_token_ids);
      }
    } finally {
      m.dispose();
    }
  });
});
