import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMmluCsvFolder, mmluSplitFiles, readMmluCsv, readMmluCsvFolder } from './mmlu-csv.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'dlm-mmlu-'));
const ROW = 'What is 1+1?,1,2,3,4,B\n';

describe('MMLU CSV folder', () => {
  it('reads flat files: the split per subject (sorted), dev as the few-shot pool', () => {
    const d = tmp();
    writeFileSync(join(d, 'zoology_test.csv'), ROW + '"Two\nlines, ""quoted""",a,b,c,d,D\n');
    writeFileSync(join(d, 'algebra_test.csv'), ROW);
    writeFileSync(join(d, 'algebra_dev.csv'), ROW + ROW);
    const t = readMmluCsvFolder(d, 'test');
    expect(t.kind).toBe('mmlu');
    expect(t.questions.map((q) => `${q.subject}#${q.index}:${q.label}`)).toEqual([
      'algebra#0:1',
      'zoology#0:1',
      'zoology#1:3',
    ]);
    expect(t.questions[2]).toMatchObject({ question: 'Two\nlines, "quoted"', choices: ['a', 'b', 'c', 'd'] });
    expect(t.questions[2]!.where).toBe(`${join(d, 'zoology_test.csv')}:2`);
    expect(t.dev.get('algebra')).toHaveLength(2);
    expect(t.dev.get('zoology')).toBeUndefined();
  });

  it("reads MMLU's dev/ val/ test/ subfolders", () => {
    const d = tmp();
    for (const s of ['dev', 'val', 'test']) {
      mkdirSync(join(d, s));
      writeFileSync(join(d, s, `anatomy_${s}.csv`), ROW.repeat(s === 'dev' ? 5 : 3));
    }
    expect(isMmluCsvFolder(d)).toBe(true);
    expect([...mmluSplitFiles(d, 'val').keys()]).toEqual(['anatomy']);
    expect(readMmluCsvFolder(d, 'val').questions).toHaveLength(3);
    expect(readMmluCsvFolder(d, 'test').dev.get('anatomy')).toHaveLength(5);
  });

  it('a missing column or an answer outside A–D is a named error with file:line', () => {
    const d = tmp();
    const f = join(d, 'x_test.csv');
    writeFileSync(f, ROW + 'q,a,b,c,B\n');
    expect(() => readMmluCsv(f, 'x')).toThrow(
      `mmlu csv: ${f}:2, expected 6 fields: question, A, B, C, D, answer letter, got 5 fields`,
    );
    writeFileSync(f, ROW + ROW + 'q,a,b,c,d,E\n');
    expect(() => readMmluCsv(f, 'x')).toThrow(`mmlu csv: ${f}:3, expected an answer letter A, B, C or D, got "E"`);
    expect(() => readMmluCsvFolder(tmp(), 'test')).toThrow(/holds no test split/);
  });
});
