// The Porter stemmer as NLTK's `PorterStemmer()` applies it in its default mode NLTK_EXTENSIONS (the stemmer that
// rouge-score's `use_stemmer=True` calls). Only this mode is implemented.
// Reference: nltk/nltk nltk/stem/porter.py:PorterStemmer (NLTK 3.8; the seq2seq-metrics fixture used 3.10.3 and
// reports identical values with 3.8). Algorithm: M. F. Porter, "An algorithm for suffix stripping", Program 14(3),
// 1980, with the NLTK departures marked [NLTK] below.
//
// Definitions (on lower-case words):
//   consonant(w, i): w[i] ∉ {a,e,i,o,u}, and if w[i] = 'y' then i = 0 or w[i−1] is not a consonant
//   m(stem): the number of "vc" pairs in the stem's consonant/vowel pattern ([C](VC)^m[V])
//   *v*: the stem has a vowel;  *d: ends with a double consonant;
//   *o: ends consonant-vowel-consonant with the last not w, x, y; [NLTK] or is exactly vowel-consonant (2 letters)
// A rule list is tried top to bottom; the FIRST rule whose suffix the word ends with decides: if its condition holds
// on the stem (word minus suffix) the suffix is replaced, otherwise the word is left as is and no later rule is tried.
//
// stem(word): [NLTK] a word of the irregular table maps to its form; words of ≤ 2 letters are returned unchanged;
// otherwise steps 1a, 1b, 1c, 2, 3, 4, 5a, 5b in order.
// Letters are indexed as UTF-16 units, which equals NLTK's code points on the BMP (rouge-score only passes [a-z0-9]).

/** [NLTK] Irregular forms, mapped straight to their stem. */
const IRREGULAR: ReadonlyMap<string, string> = new Map([
  ['sky', 'sky'],
  ['skies', 'sky'],
  ['dying', 'die'],
  ['lying', 'lie'],
  ['tying', 'tie'],
  ['news', 'news'],
  ['innings', 'inning'],
  ['inning', 'inning'],
  ['outings', 'outing'],
  ['outing', 'outing'],
  ['cannings', 'canning'],
  ['canning', 'canning'],
  ['howe', 'howe'],
  ['proceed', 'proceed'],
  ['exceed', 'exceed'],
  ['succeed', 'succeed'],
]);

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

function isConsonant(w: string, i: number): boolean {
  const c = w[i]!;
  if (VOWELS.has(c)) return false;
  if (c === 'y') return i === 0 ? true : !isConsonant(w, i - 1);
  return true;
}

/** Porter's measure m: the number of vowel→consonant transitions. */
export function porterMeasure(stem: string): number {
  let m = 0;
  for (let i = 1; i < stem.length; i++) if (!isConsonant(stem, i - 1) && isConsonant(stem, i)) m++;
  return m;
}

const positive = (stem: string): boolean => porterMeasure(stem) > 0;
const aboveOne = (stem: string): boolean => porterMeasure(stem) > 1;

function hasVowel(stem: string): boolean {
  for (let i = 0; i < stem.length; i++) if (!isConsonant(stem, i)) return true;
  return false;
}

function endsDoubleConsonant(w: string): boolean {
  return w.length >= 2 && w[w.length - 1] === w[w.length - 2] && isConsonant(w, w.length - 1);
}

/** Condition *o, with the NLTK two-letter extension. */
function endsCvc(w: string): boolean {
  const n = w.length;
  const cvc =
    n >= 3 &&
    isConsonant(w, n - 3) &&
    !isConsonant(w, n - 2) &&
    isConsonant(w, n - 1) &&
    !['w', 'x', 'y'].includes(w[n - 1]!);
  return cvc || (n === 2 && !isConsonant(w, 0) && isConsonant(w, 1));
}

/** [suffix, replacement, condition on the stem (undefined: always)]. */
type Rule = readonly [string, string, ((stem: string) => boolean) | undefined];

/** The first rule whose suffix matches decides (see the header). */
function applyRules(word: string, rules: readonly Rule[]): string {
  for (const [suffix, replacement, condition] of rules) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, word.length - suffix.length);
    return condition === undefined || condition(stem) ? stem + replacement : word;
  }
  return word;
}

/** Step 1a: plurals. [NLTK] a 4-letter word in -ies → -ie ('dies' → 'die'). */
function step1a(w: string): string {
  if (w.endsWith('ies') && w.length === 4) return w.slice(0, -3) + 'ie';
  return applyRules(w, [
    ['sses', 'ss', undefined],
    ['ies', 'i', undefined],
    ['ss', 'ss', undefined],
    ['s', '', undefined],
  ]);
}

/** Step 1b: -eed, -ed, -ing, then the clean-up of the stem. [NLTK] -ied → -ie (4 letters) or -i first. */
function step1b(w: string): string {
  if (w.endsWith('ied')) return w.slice(0, -3) + (w.length === 4 ? 'ie' : 'i');
  if (w.endsWith('eed')) {
    const stem = w.slice(0, -3);
    return positive(stem) ? stem + 'ee' : w;
  }
  let stem: string | undefined;
  for (const suffix of ['ed', 'ing']) {
    if (w.endsWith(suffix) && hasVowel(w.slice(0, w.length - suffix.length))) {
      stem = w.slice(0, w.length - suffix.length);
      break;
    }
  }
  if (stem === undefined) return w;
  for (const [from, to] of [
    ['at', 'ate'],
    ['bl', 'ble'],
    ['iz', 'ize'],
  ] as const) {
    if (stem.endsWith(from)) return stem.slice(0, -from.length) + to;
  }
  // (*d and not (*l or *s or *z)) → single letter; a double consonant ends the step either way.
  if (endsDoubleConsonant(stem)) return ['l', 's', 'z'].includes(stem[stem.length - 1]!) ? stem : stem.slice(0, -1);
  // (m = 1 and *o) → add e
  return porterMeasure(stem) === 1 && endsCvc(stem) ? stem + 'e' : stem;
}

/** Step 1c: y → i. [NLTK] only after a consonant that is not the whole stem ('happy' → 'happi', 'enjoy' kept). */
function step1c(w: string): string {
  return applyRules(w, [['y', 'i', (stem) => stem.length > 1 && isConsonant(stem, stem.length - 1)]]);
}

/** Step 2: double suffixes (m > 0). [NLTK] -alli first and again through step 2; -bli (not -abli); -fulli; -logi. */
function step2(w: string): string {
  if (w.endsWith('alli') && positive(w.slice(0, -4))) return step2(w.slice(0, -4) + 'al');
  return applyRules(w, [
    ['ational', 'ate', positive],
    ['tional', 'tion', positive],
    ['enci', 'ence', positive],
    ['anci', 'ance', positive],
    ['izer', 'ize', positive],
    ['bli', 'ble', positive],
    ['alli', 'al', positive],
    ['entli', 'ent', positive],
    ['eli', 'e', positive],
    ['ousli', 'ous', positive],
    ['ization', 'ize', positive],
    ['ation', 'ate', positive],
    ['ator', 'ate', positive],
    ['alism', 'al', positive],
    ['iveness', 'ive', positive],
    ['fulness', 'ful', positive],
    ['ousness', 'ous', positive],
    ['aliti', 'al', positive],
    ['iviti', 'ive', positive],
    ['biliti', 'ble', positive],
    ['fulli', 'ful', positive],
    // The 'l' of -logi stays with the stem for the measure ('geo', 'theo' behave like 'archaeo').
    ['logi', 'log', () => positive(w.slice(0, -3))],
  ]);
}

/** Step 3: -ic-, -ful, -ness … (m > 0). */
function step3(w: string): string {
  return applyRules(w, [
    ['icate', 'ic', positive],
    ['ative', '', positive],
    ['alize', 'al', positive],
    ['iciti', 'ic', positive],
    ['ical', 'ic', positive],
    ['ful', '', positive],
    ['ness', '', positive],
  ]);
}

/** Step 4: -ant, -ence … in context m > 1; -ion only after s or t. */
function step4(w: string): string {
  return applyRules(w, [
    ['al', '', aboveOne],
    ['ance', '', aboveOne],
    ['ence', '', aboveOne],
    ['er', '', aboveOne],
    ['ic', '', aboveOne],
    ['able', '', aboveOne],
    ['ible', '', aboveOne],
    ['ant', '', aboveOne],
    ['ement', '', aboveOne],
    ['ment', '', aboveOne],
    ['ent', '', aboveOne],
    ['ion', '', (stem) => aboveOne(stem) && ['s', 't'].includes(stem[stem.length - 1]!)],
    ['ou', '', aboveOne],
    ['ism', '', aboveOne],
    ['ate', '', aboveOne],
    ['iti', '', aboveOne],
    ['ous', '', aboveOne],
    ['ive', '', aboveOne],
    ['ize', '', aboveOne],
  ]);
}

/** Step 5a: final -e goes if m > 1, or if m = 1 and not *o (both conditions are tried). */
function step5a(w: string): string {
  if (!w.endsWith('e')) return w;
  const stem = w.slice(0, -1);
  const m = porterMeasure(stem);
  return m > 1 || (m === 1 && !endsCvc(stem)) ? stem : w;
}

/** Step 5b: -ll → -l when m(word minus one l) > 1. */
function step5b(w: string): string {
  return applyRules(w, [['ll', 'l', () => aboveOne(w.slice(0, -1))]]);
}

/**
 * NLTK's `PorterStemmer().stem(word)` (NLTK_EXTENSIONS): the word is lower-cased first, as NLTK does. rouge-score
 * only calls it on tokens of [a-z0-9] longer than 3 characters.
 */
export function porterStem(word: string): string {
  const w = word.toLowerCase();
  const irregular = IRREGULAR.get(word);
  if (irregular !== undefined) return irregular;
  if (word.length <= 2) return w;
  return step5b(step5a(step4(step3(step2(step1c(step1b(step1a(w))))))));
}
