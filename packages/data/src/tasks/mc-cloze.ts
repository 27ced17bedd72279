// `dlm data mc-cloze <dataset>`: a four-way multiple-choice cloze task from a corpus's held-out split, in the
// generic continuation format `{"context", "choices": [4], "label"}` that `dlm eval mc` reads (HellaSwag / ARC
// style). The context ends right before a word's leading space; the choices are `" word"` (leading space), so
// `context + choice` is the text as it continues. One choice is the true next word, three are distractors drawn
// from the words of nearby corpus frequency (frequency-list.ts); the answer's position is a seeded shuffle.
// Card: datasets/moby-dick-cloze.md.
import { ConfigError } from '@dlm/core';
import { wordCounts } from './cloze-sites.ts';
import { FrequencyList } from './frequency-list.ts';
import { chooseSites, readTaskCorpus, resolveWordTask, siteRng, type WordTaskOptions } from './word-task.ts';

export interface McClozeRow {
  context: string;
  choices: string[];
  label: number;
}

export const MC_CLOZE_CHOICES = 4;
/** Distractor pool: the 2·10 words of nearest rank; word-list words occur ≥ 2 times in the corpus. */
export const MC_CLOZE_FREQUENCY = { window: 10, minCount: 2 } as const;

export interface McClozeResult {
  rows: McClozeRow[];
  /** The answers' words, in row order (for checks and the card). */
  answers: string[];
  list: FrequencyList;
  splitRule: string;
}

const OP = 'dlm data mc-cloze';

export async function buildMcCloze(options: WordTaskOptions): Promise<McClozeResult> {
  const o = resolveWordTask(options, OP);
  const { all, heldOut, splitRule } = await readTaskCorpus(o);
  if (heldOut.length === 0) {
    throw new ConfigError({ op: OP, arg: '--split', expected: `a split that ${o.dataset} has`, got: o.split });
  }
  const list = new FrequencyList(wordCounts(all), { ...MC_CLOZE_FREQUENCY, maxWordChars: o.maxWordChars });
  const sites = chooseSites(heldOut, o, OP, (s) => list.rankOf(s.word) !== undefined);
  const rows = sites.map((s) => {
    const rng = siteRng(o.seed, s);
    const words = [s.word, ...list.draw(s.word, MC_CLOZE_CHOICES - 1, rng.split('distractors'))];
    const order = rng.split('order').permutation(MC_CLOZE_CHOICES);
    const choices = Array.from(order, (i) => ` ${words[i]!}`);
    return { context: s.context, choices, label: order.indexOf(0) };
  });
  return { rows, answers: sites.map((s) => s.word), list, splitRule };
}
