// The answer extraction rules of conditional-generation evaluation (`dlm eval generate`): how the answer is read
// from the generated text and from the gold `answer`, then compared by exact match after trimming.
//
//   gsm8k       the GSM8K convention "#### <number>" (EleutherAI/lm-evaluation-harness
//               lm_eval/tasks/gsm8k/gsm8k.yaml, filter "strict-match": the first match of `#### (\-?[0-9\.\,]+)`,
//               then commas and "$" removed and a final "." dropped, as the task's regexes_to_ignore); the gold is
//               the text after the last "####" of the answer (the whole answer when it has none), cleaned alike.
//   regex       the first match of a user regex with exactly one capture group: its group; gold as given.
//   first-line  the first line of the generation (leading whitespace dropped); gold as given.
//   first-word  the first word (letters and digits, inner ' ’ - allowed: "whale's", "sea-weed"); gold as given.
// No match → no extracted answer → wrong.
import { ConfigError, Registry, brief } from '@dlm/core';

export interface ExtractOptions {
  /** The `regex` rule's pattern (one capture group). */
  regex?: RegExp | undefined;
}

export interface AnswerRule {
  describe: string;
  /** The answer read from generated text (undefined: none found). */
  extract(text: string, o: ExtractOptions): string | undefined;
  /** The gold answer as compared. */
  gold(answer: string): string;
}

const cleanNumber = (s: string) => s.replace(/[,$]/g, '').replace(/\.$/, '').trim();

export const answerRules = new Registry<AnswerRule>('answer extraction rule', [
  [
    'gsm8k',
    {
      describe: 'the number after "#### " (commas, "$" and a final "." removed); gold: after the last "####"',
      extract: (text) => {
        const m = /#### (-?[0-9.,]+)/.exec(text);
        return m ? cleanNumber(m[1]!) : undefined;
      },
      gold: (answer) => cleanNumber(answer.includes('####') ? answer.slice(answer.lastIndexOf('####') + 4) : answer),
    },
  ],
  [
    'regex',
    {
      describe: 'the capture group of the first match of --regex',
      extract: (text, o) => {
        const m = o.regex!.exec(text);
        return m ? (m[1] ?? '') : undefined;
      },
      gold: (answer) => answer.trim(),
    },
  ],
  [
    'first-line',
    {
      describe: 'the first line (leading whitespace dropped)',
      extract: (text) => text.replace(/^\s+/, '').split('\n')[0]!,
      gold: (answer) => answer.trim(),
    },
  ],
  [
    'first-word',
    {
      describe: "the first word (letters/digits, inner ' ’ - kept)",
      extract: (text) => /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/u.exec(text)?.[0],
      gold: (answer) => answer.trim(),
    },
  ],
]);

/** Compiles `--regex`: a valid pattern with exactly one capture group (named errors; `op` names the command). */
export function compileAnswerRegex(pattern: string, op: string): RegExp {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (e) {
    throw new ConfigError({ op, arg: '--regex', expected: 'a valid regular expression', got: (e as Error).message });
  }
  const groups = new RegExp(`${pattern}|`).exec('')!.length - 1;
  if (groups !== 1) {
    throw new ConfigError({
      op,
      arg: '--regex',
      expected: 'exactly one capture group',
      got: `${groups} in ${brief(pattern)}`,
    });
  }
  return re;
}

/** The rule and its options from the flags: `--regex` goes with `--extract regex` and only with it. */
export function answerRuleOf(
  name: string,
  pattern: string | undefined,
  op: string,
): { name: string; rule: AnswerRule; options: ExtractOptions } {
  const rule = answerRules.get(name);
  if (name === 'regex' && pattern === undefined) {
    throw new ConfigError(
      { op, arg: '--regex', expected: 'a pattern with one capture group for --extract regex' },
      'is missing',
    );
  }
  if (name !== 'regex' && pattern !== undefined) {
    throw new ConfigError(
      { op, arg: '--regex', expected: '--extract regex', got: `--extract ${name}` },
      'is used only by',
    );
  }
  return { name, rule, options: pattern === undefined ? {} : { regex: compileAnswerRegex(pattern, op) } };
}

/** Extraction and exact match after trimming. */
export function scoreAnswer(
  rule: AnswerRule,
  o: ExtractOptions,
  generated: string,
  answer: string,
): { extracted: string | undefined; gold: string; correct: boolean } {
  const extracted = rule.extract(generated, o);
  const gold = rule.gold(answer);
  return { extracted, gold, correct: extracted !== undefined && extracted.trim() === gold };
}
