// Generic continuation tasks (HellaSwag / ARC style) in JSONL: one object per line
//   {"context": string, "choices": [string, …] (≥ 2), "label": index of the correct choice, "subject"?: string}
// No template: the prompt is `context` as given and each continuation is a choice exactly as given. Leading spaces
// are not added: lm-evaluation-harness joins context and target with target_delimiter " ", so a task written for
// it stores choices with their leading space (" Paris"), and the tokenizer split (whole = enc(ctx + cont)) keeps
// that space on the continuation side. Rows without `subject` belong to the subject named after the file.
import { basename, extname } from 'node:path';
import { ConfigError, brief } from '@dlm/core';
import { readJsonlRows } from './jsonl-rows.ts';
import type { McQuestion, McTask } from './task.ts';

const OP = 'continuation task';

/** True when a JSONL row has the generic continuation shape's keys. */
export function isContinuationRow(v: Record<string, unknown>): boolean {
  return 'context' in v && 'choices' in v && 'label' in v;
}

export function readContinuationJsonl(file: string): McTask {
  const fallback = basename(file, extname(file));
  const counts = new Map<string, number>();
  const questions: McQuestion[] = readJsonlRows(file, OP).map(({ line, value: v }) => {
    const where = `${file}:${line}`;
    if (typeof v['context'] !== 'string') {
      throw new ConfigError({ op: OP, arg: `${where} "context"`, expected: 'a string', got: brief(v['context']) });
    }
    const choices = v['choices'];
    if (!Array.isArray(choices) || choices.length < 2 || !choices.every((c) => typeof c === 'string' && c !== '')) {
      const expected = 'an array of at least 2 non-empty strings';
      throw new ConfigError({ op: OP, arg: `${where} "choices"`, expected, got: brief(choices) });
    }
    const label = v['label'];
    if (!(typeof label === 'number' && Number.isInteger(label) && label >= 0 && label < choices.length)) {
      const expected = `an integer index into its ${choices.length} choices (0 … ${choices.length - 1})`;
      throw new ConfigError({ op: OP, arg: `${where} "label"`, expected, got: brief(label) });
    }
    const subject = v['subject'] === undefined ? fallback : v['subject'];
    if (typeof subject !== 'string' || subject === '') {
      throw new ConfigError({ op: OP, arg: `${where} "subject"`, expected: 'a non-empty string', got: brief(subject) });
    }
    const index = counts.get(subject) ?? 0;
    counts.set(subject, index + 1);
    return { subject, index, question: v['context'], choices: choices as string[], label, where };
  });
  if (questions.length === 0) throw new ConfigError({ op: OP, arg: file, expected: 'at least one row' }, 'is empty');
  questions.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.index - b.index));
  return { kind: 'continuation', questions, dev: new Map(), files: [file] };
}
