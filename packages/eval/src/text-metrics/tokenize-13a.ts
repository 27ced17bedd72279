// sacreBLEU's default BLEU tokenizer `13a` (the mteval-v13a.pl tokenization used by WMT).
// Reference: mjpost/sacrebleu sacrebleu/tokenizers/tokenizer_13a.py:Tokenizer13a.__call__ and
// sacrebleu/tokenizers/tokenizer_re.py:TokenizerRegexp @880ce6fe (unchanged through 2.6.0).
//   1. remove every '<skipped>', then every '-\n'; every remaining '\n' → ' '
//   2. if the line has '&': '&quot;' → '"', then '&amp;' → '&', then '&lt;' → '<', then '&gt;' → '>' (in this order,
//      each on the result of the previous one)
//   3. pad with one space each side, then four regex substitutions, each over the whole line, left to right,
//      non-overlapping (Python re.sub and JavaScript String.replace with /g agree on this):
//        a. each character of {–~ [–` space–& (–+ :–@ / (ASCII ranges)  → ' c '
//        b. non-digit followed by '.' or ','                           → 'x . '
//        c. '.' or ',' followed by a non-digit                         → ' . x'
//        d. digit followed by '-'                                      → 'd - '
//   4. Python str.split() and re-join with single spaces.
// No lowercasing; non-ASCII characters are left alone. BLEU applies Python's rstrip() before this (see bleu.ts).
import { pySplit } from './python-str.ts';

const SUBSTITUTIONS: readonly (readonly [RegExp, string])[] = [
  [/([\u007b-\u007e\u005b-\u0060\u0020-\u0026\u0028-\u002b\u003a-\u0040\u002f])/gu, ' $1 '],
  [/([^0-9])([.,])/gu, '$1 $2 '],
  [/([.,])([^0-9])/gu, ' $1 $2'],
  [/([0-9])(-)/gu, '$1 $2 '],
];

/** sacreBLEU's `13a` tokenization of one segment: tokens joined by single spaces. */
export function tokenize13a(line: string): string {
  let s = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (s.includes('&')) {
    s = s.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  s = ` ${s} `;
  for (const [re, repl] of SUBSTITUTIONS) s = s.replace(re, repl);
  return pySplit(s).join(' ');
}
