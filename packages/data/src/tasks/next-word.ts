// `dlm data next-word <dataset>`: a next-word generation task from a corpus's held-out split for
// `dlm eval generate`: rows `{"prompt", "answer"}` where the prompt ends right before a word's leading space and the
// answer is that word (lowercase letters), checkable by exact match of the first word generated (extraction rule
// first-word). Sites as cloze-sites.ts cuts them; card: datasets/moby-dick-next-word.md.
import { ConfigError } from '@dlm/core';
import { chooseSites, readTaskCorpus, resolveWordTask, type WordTaskOptions } from './word-task.ts';

export interface NextWordRow {
  prompt: string;
  answer: string;
}

const OP = 'dlm data next-word';

export async function buildNextWord(options: WordTaskOptions): Promise<{ rows: NextWordRow[]; splitRule: string }> {
  const o = resolveWordTask(options, OP);
  const { heldOut, splitRule } = await readTaskCorpus(o);
  if (heldOut.length === 0) {
    throw new ConfigError({ op: OP, arg: '--split', expected: `a split that ${o.dataset} has`, got: o.split });
  }
  const rows = chooseSites(heldOut, o, OP).map((s) => ({ prompt: s.context, answer: s.word }));
  return { rows, splitRule };
}
