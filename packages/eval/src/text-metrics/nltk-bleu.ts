// DiffuSeq's sentence BLEU: NLTK's `sentence_bleu` with `SmoothingFunction().method4`, on whitespace tokens. This
// is the utility of DiffuSeq's MBR (mbr.ts) and the "avg BLEU score" its evaluation prints. It is not sacreBLEU's
// BLEU (bleu.ts): other tokens, other smoothing, a 0–1 scale.
//
// Source: Shark-NLP/DiffuSeq scripts/eval_seq2seq.py:get_bleu @e44113db65cdec66dbc270bd5d9d5c62f841653e (the
// "14 Feb 2023" evaluation update of the README):
//   get_bleu(recover, reference) = sentence_bleu([reference.split()], recover.split(),
//                                                smoothing_function=SmoothingFunction().method4)
// i.e. hypothesis = the decoded text, one reference, Python str.split() tokens (runs of whitespace; no lowercasing,
// punctuation stays attached), default weights (¼, ¼, ¼, ¼). Before scoring, eval_seq2seq.py strips the texts and
// deletes the [CLS] / [SEP] / [PAD] strings; that is the caller's business here. (The first release,
// @8bfafcbb26df218073b8117234afb9de9dfcbec9, passed the two the other way round: reference = the decoded text.)
//
// NLTK (nltk/translate/bleu_score.py:sentence_bleu → corpus_bleu, modified_precision, closest_ref_length,
// brevity_penalty, SmoothingFunction.method4 @902dbeb523b0816ee38c9a100e4e6a54f06e7d14, k = 5), for hypothesis h
// (c = |h| tokens) and references r_1…r_R:
//   m_n  = Σ_{g ∈ n-grams(h)} min(count_h(g), max_k count_{r_k}(g))     clipped matches, n = 1…4
//   d_n  = max(1, #n-grams(h))                                          (kept unreduced: 0/3 stays 0/3)
//   r    = the |r_k| closest to c, the shorter on a tie
//   BP   = 1 if c > r;  0 if c = 0;  exp(1 − r/c) otherwise              (c = r gives exp(0) = 1)
//   m_1 = 0  →  BLEU = 0                                                (no unigram match, empty h or r)
//   method4: j = 1; for n = 1…4 with m_n = 0 and c > 1:  p_n = (1 / (2^j · k / ln c)) / d_n,  j ← j + 1
//            every other p_n = m_n / d_n
//   BLEU = BP · exp(fsum(¼ · ln p_n  for the p_n > 0))
// The "p_n > 0" filter is NLTK 3.10.3's (the version the values below were checked against). Without it (NLTK at
// 902dbeb) a one-token hypothesis that matches (c = 1, so method4 smooths nothing and p_2…p_4 = 0) raises a math
// domain error; that is the only input on which the two versions differ. A consequence of method4 to keep in mind:
// identical texts score 1 only from 4 tokens on (3 tokens: (ln 3 / 10)^(1/4) ≈ 0.576, 2 tokens: ≈ 0.221).
// The float operations follow NLTK's order (the smoothed count, then / d_n; math.fsum for the sum). Checked against
// NLTK 3.10.3 on CPython 3.11 on 20,000 random pairs of 0–14 tokens: 18,877 bit-identical, the rest within one ulp
// (≤ 5.6e-17), from V8's Math.exp against glibc's exp.
import { ConfigError, brief } from '@dlm/core/errors';
import { closestRefLen } from './bleu.ts';
import { clippedMatches, countNgrams, totalCount } from './ngram-counts.ts';
import { numpyMean } from './numpy-sum.ts';
import { pyFsum } from './python-fsum.ts';
import { pySplit } from './python-str.ts';
import { assertAligned } from './segments.ts';

/** NLTK's default BLEU order (weights ¼ each). */
export const NLTK_BLEU_ORDER = 4;
/** SmoothingFunction's default k, the constant of method4. */
export const NLTK_METHOD4_K = 5;

/** One NLTK sentence BLEU with the quantities it is made of. */
export interface NltkBleu {
  /** 0–1. */
  score: number;
  /** Clipped n-gram matches m_n, n = 1…4. */
  matches: number[];
  /** Denominators d_n = max(1, #n-grams of the hypothesis). */
  denominators: number[];
  /** p_n after method4 (0 where NLTK leaves a zero); all 0 when there is no unigram match. */
  precisions: number[];
  hypLen: number;
  refLen: number;
  /** Brevity penalty. */
  bp: number;
}

/**
 * NLTK `sentence_bleu(references, hypothesis, smoothing_function=SmoothingFunction().method4)` on token lists
 * (see the header for every step). At least one reference; references may be empty lists.
 */
export function nltkSentenceBleu(references: readonly (readonly string[])[], hypothesis: readonly string[]): NltkBleu {
  if (references.length === 0) {
    const expected = 'at least one reference token list (NLTK fails on none)';
    throw new ConfigError({ op: 'nltkSentenceBleu', arg: 'references', expected, got: brief(references) });
  }
  const c = hypothesis.length;
  const refLen = closestRefLen(
    c,
    references.map((r) => r.length),
  );
  const bp = c > refLen ? 1 : c === 0 ? 0 : Math.exp(1 - refLen / c);
  const matches: number[] = [];
  const denominators: number[] = [];
  for (let n = 1; n <= NLTK_BLEU_ORDER; n++) {
    const hyp = countNgrams(hypothesis, n, ' ');
    const maxRef = new Map<string, number>();
    for (const ref of references) {
      for (const [g, k] of countNgrams(ref, n, ' ')) maxRef.set(g, Math.max(maxRef.get(g) ?? 0, k));
    }
    matches.push(clippedMatches(hyp, maxRef));
    denominators.push(Math.max(1, totalCount(hyp)));
  }
  const base = { matches, denominators, hypLen: c, refLen, bp };
  if (matches[0] === 0) return { score: 0, precisions: new Array<number>(NLTK_BLEU_ORDER).fill(0), ...base };
  let j = 1;
  const precisions = matches.map((m, i) => {
    const d = denominators[i]!;
    if (m !== 0 || c <= 1) return m / d;
    const smoothed = 1 / ((2 ** j * NLTK_METHOD4_K) / Math.log(c));
    j++;
    return smoothed / d;
  });
  const logs = precisions.filter((p) => p > 0).map((p) => (1 / NLTK_BLEU_ORDER) * Math.log(p));
  return { score: bp * Math.exp(pyFsum(logs)), precisions, ...base };
}

/** DiffuSeq's `get_bleu(hyp, ref)`: NLTK method4 sentence BLEU of `hyp` against `ref`, str.split() tokens, 0–1. */
export function diffuseqBleu(hyp: string, ref: string): number {
  return nltkSentenceBleu([pySplit(ref)], pySplit(hyp)).score;
}

/** DiffuSeq's "avg BLEU score": np.mean of diffuseqBleu over aligned hypothesis / reference lines. */
export function diffuseqMeanBleu(hyps: readonly string[], refs: readonly string[]): number {
  assertAligned('diffuseqMeanBleu', hyps, refs);
  if (hyps.length === 0) {
    throw new ConfigError({ op: 'diffuseqMeanBleu', arg: 'hypotheses', expected: 'at least one line', got: '0 lines' });
  }
  return numpyMean(hyps.map((h, i) => diffuseqBleu(h, refs[i]!)));
}
