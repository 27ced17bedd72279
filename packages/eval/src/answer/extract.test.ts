import { describe, expect, it } from 'vitest';
import { answerRuleOf, answerRules, scoreAnswer } from './extract.ts';

const OP = 'dlm eval generate';
const score = (name: string, text: string, answer: string, regex?: string) => {
  const r = answerRuleOf(name, regex, OP);
  return scoreAnswer(r.rule, r.options, text, answer);
};

describe('answer extraction rules', () => {
  it('gsm8k: the first "#### n", cleaned; gold after the last "####"', () => {
    const gold = 'Natalia sold 48/2 = 24 clips in May.\n#### 72';
    expect(score('gsm8k', 'She sold 72 in all.\n#### 72', gold)).toEqual({
      extracted: '72',
      gold: '72',
      correct: true,
    });
    expect(score('gsm8k', '#### 1,200.\n\nQuestion: #### 5', '#### 1200')).toEqual({
      extracted: '1200',
      gold: '1200',
      correct: true,
    });
    expect(score('gsm8k', '#### -3', '-3').correct).toBe(true);
    expect(score('gsm8k', 'the answer is 72', gold)).toEqual({ extracted: undefined, gold: '72', correct: false });
    expect(score('gsm8k', '#### 73', gold).correct).toBe(false);
  });

  it('regex: the one group of the first match', () => {
    expect(score('regex', 'The answer is (B). Or (C).', 'B', '\\(([A-D])\\)')).toEqual({
      extracted: 'B',
      gold: 'B',
      correct: true,
    });
    expect(score('regex', 'nothing', 'B', '\\(([A-D])\\)').extracted).toBeUndefined();
  });

  it('first-line and first-word, exact match after trimming', () => {
    expect(score('first-line', '\n  Paris \nis the capital', ' Paris')).toEqual({
      extracted: 'Paris ',
      gold: 'Paris',
      correct: true,
    });
    expect(score('first-word', ' whale, said he', 'whale')).toEqual({
      extracted: 'whale',
      gold: 'whale',
      correct: true,
    });
    expect(score('first-word', " whale's jaw", 'whale').extracted).toBe("whale's");
    expect(score('first-word', ' Whale', 'whale').correct).toBe(false);
    expect(score('first-word', ' ,.;', 'whale').extracted).toBeUndefined();
  });

  it('bad flags are named errors listing what is valid', () => {
    expect(() => answerRuleOf('gsm', undefined, OP)).toThrow(/gsm8k.*regex.*first-line.*first-word/s);
    expect(() => answerRuleOf('regex', undefined, OP)).toThrow(/--regex.*is missing/s);
    expect(() => answerRuleOf('first-word', 'a(b)', OP)).toThrow(/--regex.*--extract regex/s);
    expect(() => answerRuleOf('regex', 'ab', OP)).toThrow(/exactly one capture group.*0/s);
    expect(() => answerRuleOf('regex', '(a)(b)', OP)).toThrow(/exactly one capture group.*2/s);
    expect(() => answerRuleOf('regex', '(a', OP)).toThrow(/valid regular expression/);
    expect(answerRules.names()).toEqual(['gsm8k', 'regex', 'first-line', 'first-word']);
  });
});
