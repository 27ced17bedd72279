import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readContinuationJsonl } from './continuation-jsonl.ts';

const file = (text: string) => {
  const f = join(mkdtempSync(join(tmpdir(), 'dlm-cont-')), 'cloze.jsonl');
  writeFileSync(f, text);
  return f;
};

describe('continuation JSONL task', () => {
  it('keeps context and choices as given (leading spaces included); subject from the file name by default', () => {
    const f = file(
      '{"context": "Call me", "choices": [" Ishmael", " Ahab"], "label": 0}\n\n' +
        '{"context": "x", "choices": ["a", "b", "c"], "label": 2, "subject": "aa"}\n',
    );
    const t = readContinuationJsonl(f);
    expect(t.kind).toBe('continuation');
    expect(t.questions.map((q) => [q.subject, q.index, q.question, q.choices, q.label, q.where])).toEqual([
      ['aa', 0, 'x', ['a', 'b', 'c'], 2, `${f}:3`],
      ['cloze', 0, 'Call me', [' Ishmael', ' Ahab'], 0, `${f}:1`],
    ]);
  });

  it('a label out of range of its choices, or bad choices, is a named error with file:line', () => {
    const ok = '{"context": "a", "choices": ["x", "y"], "label": 1}\n';
    const f = file(ok + '{"context": "a", "choices": ["x", "y"], "label": 2}\n');
    expect(() => readContinuationJsonl(f)).toThrow(
      `continuation task: ${f}:2 "label", expected an integer index into its 2 choices (0 … 1), got 2`,
    );
    const g = file('{"context": "a", "choices": "xy", "label": 0}\n');
    expect(() => readContinuationJsonl(g)).toThrow(
      `${g}:1 "choices", expected an array of at least 2 non-empty strings`,
    );
    const h = file('not json\n');
    expect(() => readContinuationJsonl(h)).toThrow(`${h}:1, expected one JSON object per line`);
  });
});
