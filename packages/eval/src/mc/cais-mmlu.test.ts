import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaisMmlu } from './cais-mmlu.ts';

const row = (subject: string, answer: unknown) =>
  JSON.stringify({ question: `q ${subject}`, subject, choices: ['a', 'b', 'c', 'd'], answer }) + '\n';

describe('cais/mmlu schema (JSONL)', () => {
  it('reads questions by subject and the dev file beside it as the few-shot pool', async () => {
    const d = mkdtempSync(join(tmpdir(), 'dlm-cais-'));
    writeFileSync(join(d, 'test.jsonl'), row('virology', 3) + row('anatomy', 0) + row('virology', 1));
    writeFileSync(join(d, 'dev.jsonl'), row('anatomy', 2));
    const t = await readCaisMmlu(join(d, 'test.jsonl'));
    expect(t.kind).toBe('mmlu');
    expect(t.questions.map((q) => `${q.subject}#${q.index}:${q.label}`)).toEqual([
      'anatomy#0:0',
      'virology#0:3',
      'virology#1:1',
    ]);
    expect(t.dev.get('anatomy')!.map((q) => q.label)).toEqual([2]);
    expect(t.files).toEqual([join(d, 'test.jsonl'), join(d, 'dev.jsonl')]);
  });

  it('an answer outside 0–3 is a named error with file:line', async () => {
    const d = mkdtempSync(join(tmpdir(), 'dlm-cais-'));
    const f = join(d, 'test.jsonl');
    writeFileSync(f, row('a', 1) + row('a', 4));
    await expect(readCaisMmlu(f)).rejects.toThrow(
      `cais/mmlu task: ${f}:2 "answer", expected an index 0–3 (A–D), got 4`,
    );
  });
});
