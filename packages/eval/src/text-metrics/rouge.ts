// ROUGE-1, ROUGE-2 and ROUGE-L (precision, recall, F) exactly as Google's rouge-score package:
// `RougeScorer(['rouge1', 'rouge2', 'rougeL'], use_stemmer=False|True).score(target=reference, prediction=hyp)`.
// Reference: google-research/google-research rouge/rouge_scorer.py:_create_ngrams, _score_ngrams, _score_lcs,
// _lcs_table and rouge/scoring.py:fmeasure @61ce9f0c; the tokenizer of rouge-score 0.1.2 (tokenize.py:tokenize via
// tokenizers.py:DefaultTokenizer).
//
// Tokenizer: lower-case; every run of characters outside [a-z0-9] → one space (so 'café' → 'caf'); split on
// whitespace; with the stemmer every token longer than 3 characters → NLTK's Porter stem (porter-stemmer.ts); keep
// the tokens that match ^[a-z0-9]+$.
// (JavaScript's toLowerCase and CPython 3.11's str.lower differ only on characters added after Unicode 14, none of
// which lower-case to [a-z0-9], so the tokens are the same.)
//
// ROUGE-N (hyp h, reference r, n-gram counts c):
//   matches = Σ_{g in r} min(c_r(g), c_h(g));  P = matches / max(#h n-grams, 1);  R = matches / max(#r n-grams, 1)
// ROUGE-L:  lcs = |longest common token subsequence|;  P = lcs/|h|,  R = lcs/|r|;  all 0 if either side is empty
// F = 2·P·R/(P + R), 0 when P + R = 0.
import { clippedMatches, countNgrams, totalCount } from './ngram-counts.ts';
import { porterStem } from './porter-stemmer.ts';

/** Precision, recall and F-measure (rouge-score's `Score`). */
export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

/** The three ROUGE types this package computes, in rouge-score's naming. */
export interface RougeScores {
  rouge1: RougeScore;
  rouge2: RougeScore;
  rougeL: RougeScore;
}

export const ROUGE_TYPES = ['rouge1', 'rouge2', 'rougeL'] as const;

export interface RougeOptions {
  /** rouge-score's `use_stemmer` (NLTK's Porter stemmer on tokens longer than 3 characters). */
  stemmer?: boolean;
}

const NON_ALNUM = /[^a-z0-9]+/gu;
const VALID = /^[a-z0-9]+$/;

/** rouge-score's default tokenizer. */
export function rougeTokens(text: string, opts: RougeOptions = {}): string[] {
  const pieces = text.toLowerCase().replace(NON_ALNUM, ' ').split(/\s+/);
  const stemmed = opts.stemmer ? pieces.map((t) => (t.length > 3 ? porterStem(t) : t)) : pieces;
  return stemmed.filter((t) => VALID.test(t));
}

/** scoring.fmeasure: 2PR/(P+R), 0 when P + R = 0. */
function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** ROUGE-N of token lists (rouge_scorer._score_ngrams). */
export function rougeN(refTokens: readonly string[], hypTokens: readonly string[], n: number): RougeScore {
  const ref = countNgrams(refTokens, n, ' ');
  const hyp = countNgrams(hypTokens, n, ' ');
  const matches = clippedMatches(ref, hyp);
  const precision = matches / Math.max(totalCount(hyp), 1);
  const recall = matches / Math.max(totalCount(ref), 1);
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** Length of the longest common subsequence of two token lists (dynamic programme, two rows). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** ROUGE-L of token lists (rouge_scorer._score_lcs). */
export function rougeL(refTokens: readonly string[], hypTokens: readonly string[]): RougeScore {
  if (refTokens.length === 0 || hypTokens.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const lcs = lcsLength(refTokens, hypTokens);
  const precision = lcs / hypTokens.length;
  const recall = lcs / refTokens.length;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** ROUGE-1/2/L of one hypothesis against its reference (`scorer.score(reference, hypothesis)`). */
export function rougeScores(hyp: string, ref: string, opts: RougeOptions = {}): RougeScores {
  const h = rougeTokens(hyp, opts);
  const r = rougeTokens(ref, opts);
  return { rouge1: rougeN(r, h, 1), rouge2: rougeN(r, h, 2), rougeL: rougeL(r, h) };
}

/** The arithmetic mean over pairs of each ROUGE value (the fixture's `rouge_mean`; 0s for no pairs). */
export function meanRouge(all: readonly RougeScores[]): RougeScores {
  const mean = (t: (typeof ROUGE_TYPES)[number], k: keyof RougeScore): number =>
    all.length === 0 ? 0 : all.reduce((s, x) => s + x[t][k], 0) / all.length;
  const one = (t: (typeof ROUGE_TYPES)[number]): RougeScore => ({
    precision: mean(t, 'precision'),
    recall: mean(t, 'recall'),
    fmeasure: mean(t, 'fmeasure'),
  });
  return { rouge1: one('rouge1'), rouge2: one('rouge2'), rougeL: one('rougeL') };
}
