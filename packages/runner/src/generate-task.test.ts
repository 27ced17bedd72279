import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePrompt, readGenerateTask } from './generate-task.ts';

const dir = mkdtempSync(join(tmpdir(), 'dlm-generate-task-'));
const file = (name: string, rows: unknown[]) => {
  const f = join(dir, name);
  writeFileSync(f, rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n'));
  return f;
};
const OP = 'dlm eval generate';
const task = file('task.jsonl', [
  { prompt: 'Q: 1+1?\nA:', answer: '2', split: 'dev' },
  { prompt: 'Q: 2+2?\nA:', answer: '4' },
  '',
  { prompt: 'Q: 3+3?\nA:', answer: '6', id: 'x' },
  { prompt: 'Q: 5+5?\nA:', answer: '10', split: 'dev' },
  { prompt: 'Q: 4+4?\nA:', answer: '8', split: 'test' },
]);

describe('readGenerateTask', () => {
  it('scored rows, dev rows as the few-shot pool in file order, --limit', () => {
    const t = readGenerateTask({ task, shots: 2, op: OP });
    expect(t.rows.map((r) => [r.index, r.answer, r.where])).toEqual([
      [0, '4', `${task}:2`],
      [1, '6', `${task}:4`],
      [2, '8', `${task}:6`],
    ]);
    expect(t.fewshot.map((r) => r.answer)).toEqual(['2', '10']);
    expect(t.sha256.task).toMatch(/^[0-9a-f]{64}$/);
    expect(readGenerateTask({ task, limit: 2, op: OP }).rows).toHaveLength(2);
    expect(readGenerateTask({ task, op: OP }).fewshot).toEqual([]);
  });

  it('--fewshot <file> replaces the dev rows', () => {
    const few = file('few.jsonl', [{ prompt: 'Q: 0+0?\nA:', answer: '0' }]);
    const t = readGenerateTask({ task, fewshot: few, shots: 1, op: OP });
    expect(t.fewshot.map((r) => r.answer)).toEqual(['0']);
    expect(t.sha256.fewshot).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the prompt: k examples (prompt + " " + answer + "\\n\\n"), then the row', () => {
    const t = readGenerateTask({ task, shots: 2, op: OP });
    expect(generatePrompt(t.rows[0]!, t.fewshot)).toBe('Q: 1+1?\nA: 2\n\nQ: 5+5?\nA: 10\n\nQ: 2+2?\nA:');
    expect(generatePrompt(t.rows[0]!, t.fewshot.slice(0, 1), { target: '', fewshot: '\n' })).toBe(
      'Q: 1+1?\nA:2\nQ: 2+2?\nA:',
    );
    expect(generatePrompt(t.rows[1]!, [])).toBe('Q: 3+3?\nA:');
  });

  it('bad rows and flags are named errors with file:line', () => {
    const bad = (rows: unknown[]) => () => readGenerateTask({ task: file('bad.jsonl', rows), op: OP });
    expect(bad([{ prompt: 'a', answer: 'b' }, { prompt: 'c' }])).toThrow(/bad\.jsonl:2 answer.*is missing/s);
    expect(bad([{ prompt: 'a', answer: 3 }])).toThrow(/bad\.jsonl:1 answer.*a string.*got 3/s);
    expect(bad([{ prompt: '', answer: 'b' }])).toThrow(/bad\.jsonl:1 prompt.*is empty/s);
    expect(bad([{ prompt: 'a', answer: 'b', split: 'train' }])).toThrow(/split.*"dev".*"train"/s);
    expect(bad(['{"prompt": "a",'])).toThrow(/bad\.jsonl:1.*one JSON object per line/s);
    expect(bad([{ prompt: 'a', answer: 'b', split: 'dev' }])).toThrow(/at least one scored row/);
    expect(() => readGenerateTask({ task, shots: 3, op: OP })).toThrow(/--shots.*at most the 2 "split": "dev" rows/s);
    expect(() => readGenerateTask({ task, shots: -1, op: OP })).toThrow(/--shots.*an integer ≥ 0/s);
    expect(() => readGenerateTask({ task, limit: 0, op: OP })).toThrow(/--limit/);
    expect(() => readGenerateTask({ task: join(dir, 'nope.jsonl'), op: OP })).toThrow(/--task .*does not exist/s);
  });
});
