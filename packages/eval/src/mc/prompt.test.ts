// The harness MMLU prompt and the tokenization split, on a toy encoder that merges "ab" into one token (so a merge
// across the context / continuation boundary shows), and left truncation to the length budget.
import { describe, expect, it } from 'vitest';
import { buildMcPrompt, mcContext } from './prompt.ts';
import { mcTemplates } from './templates.ts';
import type { McQuestion, McTask } from './task.ts';

const q = (index: number, question: string, label: number): McQuestion => ({
  subject: 'high_school_physics',
  index,
  question,
  choices: [' w', 'x,y', '"z"', '1'],
  label,
  where: `f.csv:${index + 1}`,
});
const task: McTask = {
  kind: 'mmlu',
  questions: [q(0, '  Why?\n ', 2)],
  dev: new Map([['high_school_physics', [q(0, 'D1', 0), q(1, 'D2 ', 3)]]]),
  files: [],
};
/** Chars as codes, "ab" as one token 999. */
const encode = (s: string) => {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === 'a' && s[i + 1] === 'b') {
      out.push(999);
      i++;
    } else out.push(s.charCodeAt(i));
  }
  return out;
};

describe('MMLU prompt', () => {
  it('header (all underscores as spaces), k dev rows in file order, the stripped question ending in Answer:', () => {
    const t = mcTemplates.get('mmlu');
    const head = 'The following are multiple choice questions (with answers) about high school physics.\n\n';
    const opts = '\nA.  w\nB. x,y\nC. "z"\nD. 1\nAnswer:';
    expect(mcContext(task, task.questions[0]!, t, 0)).toBe(`${head}Why?${opts}`);
    expect(mcContext(task, task.questions[0]!, t, 2)).toBe(`${head}D1${opts} A\n\nD2${opts} D\n\nWhy?${opts}`);
    expect(t.continuations(task.questions[0]!)).toEqual([' A', ' B', ' C', ' D']);
    expect(() => mcContext(task, task.questions[0]!, t, 3)).toThrow(/--shots, expected at most 2 shots/);
  });

  it('cont = enc(ctx + c)[len(enc(ctx)):] (a merge across the boundary stays with the continuation)', () => {
    // enc("xab") = [x, 999]: whole[2:] is empty → a named error.
    expect(() => buildMcPrompt('xa', ['b'], encode, 100)).toThrow(
      /continuation "b", expected a continuation of at least one token/,
    );
    const ok = buildMcPrompt('xa', ['bb', ' c'], encode, 100);
    expect(ok.requests.map((r) => r.continuation)).toEqual([[98], [32, 99]]);
    expect(ok.requests.map((r) => r.context)).toEqual([
      [120, 97],
      [120, 97],
    ]);
  });

  it('left truncation keeps the last `budget` tokens of ctx + cont and is counted', () => {
    const p = buildMcPrompt('0123456789', [' A', 'B'], encode, 8);
    expect(p.truncated).toBe(true);
    expect(p.requests[0]!.context).toEqual(encode('456789'));
    expect(p.requests[1]!.context).toEqual(encode('3456789'));
    expect(buildMcPrompt('0123456789', ['B'], encode, 11).truncated).toBe(false);
  });
});
