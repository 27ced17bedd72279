// `keyword`: does the decoded text contain `word`? Labels absent (0) / present (1). With whole_word (default) the
// match must not touch a letter or digit on either side ("he" is in "he said" but not in "the"); without it any
// substring counts. Case-insensitive unless case_sensitive.
import { z } from 'zod';
import type { AttributeDef } from './attribute.ts';

const schema = z.strictObject({
  word: z.string().min(1),
  whole_word: z.boolean().default(true),
  case_sensitive: z.boolean().default(false),
});

type Knobs = z.output<typeof schema>;

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** True when `word` occurs in `text` under the knobs' rule. */
export function containsKeyword(text: string, k: Knobs): boolean {
  const hay = k.case_sensitive ? text : text.toLowerCase();
  const needle = k.case_sensitive ? k.word : k.word.toLowerCase();
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) {
    if (!k.whole_word) return true;
    const before = hay[i - 1];
    const after = hay[i + needle.length];
    if ((before === undefined || !WORD_CHAR.test(before)) && (after === undefined || !WORD_CHAR.test(after)))
      return true;
  }
  return false;
}

export const keywordAttribute: AttributeDef<Knobs> = {
  schema,
  describe: 'keyword presence: {word, whole_word (true), case_sensitive (false)} → absent | present',
  labels: () => ['absent', 'present'],
  label: (text, k) => (containsKeyword(text, k) ? 1 : 0),
};
