// chrF and chrF++ exactly as sacreBLEU 2.x `CHRF(char_order=6, word_order=0|2, beta=2)` with its defaults (mixed
// case, whitespace excluded, eps_smoothing=False: the "effective order" averaging, signature `eff:yes`), corpus level
// (`corpus_score`) and sentence level (`sentence_chrf`).
// Reference: mjpost/sacrebleu sacrebleu/metrics/chrf.py:CHRF._get_match_statistics, _remove_punctuation,
// _compute_f_score, _extract_reference_info, _compute_segment_statistics, and sacrebleu/metrics/helpers.py:
// extract_all_char_ngrams, extract_word_ngrams (2.x; checked against sacreBLEU 2.6.0 by the seq2seq-metrics fixture).
//
// Segment statistics, per order (character orders 1..charOrder, then word orders 1..wordOrder):
//   characters: the segment with every (Python) whitespace character removed, n-grams of code points;
//   words: Python str.split(), then a word longer than one character that ends with an ASCII punctuation mark
//     !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ is split into [word minus it, the mark]; otherwise, if it starts with one,
//     into [the mark, the rest]; n-grams joined by ' '.
//   [hyp, ref, match] with hyp = #hyp n-grams, recorded as 0 when the reference has no n-gram of that order;
//   ref = #ref n-grams; match = Σ_g min(count_hyp(g), count_ref(g)).
// Corpus statistics are the sums over segments. Score (effective order):
//   over the orders with hyp > 0 and ref > 0 (k of them): P = Σ match/hyp / k, R = Σ match/ref / k (0 if k = 0);
//   chrF = 100 · (1+β²)·P·R / (β²·P + R), 0 when P + R = 0.
// With several references sacreBLEU keeps the statistics of the reference with the best sentence chrF (first wins).
// Not implemented: eps_smoothing=True (chrF++.py / NLTK / Moses style: the mean over all orders of the per-order F,
// 1e-16 standing in for an empty order), which is not sacreBLEU's default; sentence and corpus chrF here both use
// the effective-order rule above, as sentence_chrf and corpus_score do by default.
import { ConfigError, brief } from '@dlm/core/errors';
import { assertAligned } from './segments.ts';
import { clippedMatches, countNgrams, totalCount } from './ngram-counts.ts';
import { codePoints, pySplit } from './python-str.ts';

/** chrF settings; defaults are sacreBLEU's CHRF() (chrF2). chrF++ is `{ wordOrder: 2 }`. */
export interface ChrfOptions {
  /** Character n-gram order (CHRF.CHAR_ORDER = 6). */
  charOrder?: number;
  /** Word n-gram order (0: chrF, 2: chrF++). */
  wordOrder?: number;
  /** Recall weight β (CHRF.BETA = 2). */
  beta?: number;
}

/** ChrfOptions with the defaults filled in. */
export interface ResolvedChrf {
  charOrder: number;
  wordOrder: number;
  beta: number;
}

/** string.punctuation, which sacreBLEU's chrF++ word splitter separates from word ends. */
const PUNCTS = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** The options with sacreBLEU's defaults, checked (named errors for orders that are not integers ≥ 0, β ≤ 0). */
export function resolveChrfOptions(op: string, opts: ChrfOptions): ResolvedChrf {
  const r = { charOrder: opts.charOrder ?? 6, wordOrder: opts.wordOrder ?? 0, beta: opts.beta ?? 2 };
  for (const key of ['charOrder', 'wordOrder'] as const) {
    if (!(Number.isInteger(r[key]) && r[key] >= 0)) {
      throw new ConfigError({ op, arg: key, expected: 'an integer ≥ 0', got: brief(r[key]) });
    }
  }
  if (r.charOrder + r.wordOrder === 0) {
    throw new ConfigError({ op, arg: 'charOrder + wordOrder', expected: 'at least one n-gram order', got: '0' });
  }
  if (!(Number.isFinite(r.beta) && r.beta > 0)) {
    throw new ConfigError({ op, arg: 'beta', expected: 'a finite number > 0', got: brief(r.beta) });
  }
  return r;
}

/** sacreBLEU's chrF++ word split (CHRF._remove_punctuation): one mark off the end, else off the start. */
export function chrfWords(segment: string): string[] {
  const out: string[] = [];
  for (const w of pySplit(segment)) {
    const cps = codePoints(w);
    if (cps.length === 1) out.push(w);
    else if (PUNCTS.has(cps[cps.length - 1]!)) out.push(cps.slice(0, -1).join(''), cps[cps.length - 1]!);
    else if (PUNCTS.has(cps[0]!)) out.push(cps[0]!, cps.slice(1).join(''));
    else out.push(w);
  }
  return out;
}

/** Count tables of every order: characters 1..charOrder, then words 1..wordOrder. */
function chrfNgrams(segment: string, o: ResolvedChrf): Map<string, number>[] {
  const chars = codePoints(pySplit(segment).join(''));
  const tables = Array.from({ length: o.charOrder }, (_, i) => countNgrams(chars, i + 1, ''));
  if (o.wordOrder > 0) {
    const words = chrfWords(segment);
    for (let n = 1; n <= o.wordOrder; n++) tables.push(countNgrams(words, n, ' '));
  }
  return tables;
}

/** The chrF score of flat [hyp, ref, match] statistics (CHRF._compute_f_score with eps_smoothing=False). */
function fScore(stats: readonly number[], o: ResolvedChrf): number {
  const factor = o.beta ** 2;
  let avgPrec = 0;
  let avgRec = 0;
  let effective = 0;
  for (let i = 0; i < o.charOrder + o.wordOrder; i++) {
    const hyp = stats[3 * i]!;
    const ref = stats[3 * i + 1]!;
    const match = stats[3 * i + 2]!;
    if (hyp > 0 && ref > 0) {
      avgPrec += match / hyp;
      avgRec += match / ref;
      effective += 1;
    }
  }
  if (effective === 0) {
    avgPrec = 0;
    avgRec = 0;
  } else {
    avgPrec /= effective;
    avgRec /= effective;
  }
  if (avgPrec + avgRec === 0) return 0;
  let score = (1 + factor) * avgPrec * avgRec;
  score /= factor * avgPrec + avgRec;
  return 100 * score;
}

/**
 * Flat chrF statistics of one hypothesis, `[hyp, ref, match]` per order (characters first, then words): length
 * 3·(charOrder + wordOrder). Empty references are dropped; with none left sacreBLEU refuses, and so does this.
 */
export function chrfSegmentStats(
  hyp: string,
  refs: string | readonly string[],
  opts: ChrfOptions = {},
  op = 'chrf',
): number[] {
  const o = resolveChrfOptions(op, opts);
  const list = (typeof refs === 'string' ? [refs] : refs).filter((r) => r !== '');
  if (list.length === 0) {
    throw new ConfigError({
      op,
      arg: 'references',
      expected: 'at least one non-empty reference (sacreBLEU refuses an empty reference)',
      got: brief(refs),
    });
  }
  const hypTables = chrfNgrams(hyp, o);
  let best: number[] = [];
  let bestF = -1;
  for (const ref of list) {
    const stats: number[] = [];
    chrfNgrams(ref, o).forEach((refTable, i) => {
      const hypTable = hypTables[i]!;
      stats.push(
        refTable.size > 0 ? totalCount(hypTable) : 0,
        totalCount(refTable),
        clippedMatches(hypTable, refTable),
      );
    });
    const f = fScore(stats, o);
    if (f > bestF) {
      bestF = f;
      best = stats;
    }
  }
  return best;
}

/** chrF (0–100) of flat statistics (one segment's, or the sum over a corpus). */
export function chrfFromStats(stats: readonly number[], opts: ChrfOptions = {}): number {
  const o = resolveChrfOptions('chrfFromStats', opts);
  if (stats.length !== 3 * (o.charOrder + o.wordOrder)) {
    throw new ConfigError({
      op: 'chrfFromStats',
      arg: 'stats',
      expected: `${3 * (o.charOrder + o.wordOrder)} numbers ([hyp, ref, match] per order)`,
      got: `${stats.length}`,
    });
  }
  return fScore(stats, o);
}

/** Corpus chrF, one reference per hypothesis: `CHRF(...).corpus_score(hyps, [refs])` (statistics summed). */
export function corpusChrf(hyps: readonly string[], refs: readonly string[], opts: ChrfOptions = {}): number {
  assertAligned('corpusChrf', hyps, refs);
  const o = resolveChrfOptions('corpusChrf', opts);
  const sum = new Array<number>(3 * (o.charOrder + o.wordOrder)).fill(0);
  hyps.forEach((h, i) => {
    chrfSegmentStats(h, refs[i]!, o, 'corpusChrf').forEach((v, k) => (sum[k]! += v));
  });
  return fScore(sum, o);
}

/** Sentence chrF: `sacrebleu.sentence_chrf(hyp, refs, ...)`. */
export function sentenceChrf(hyp: string, refs: string | readonly string[], opts: ChrfOptions = {}): number {
  const o = resolveChrfOptions('sentenceChrf', opts);
  return fScore(chrfSegmentStats(hyp, refs, o, 'sentenceChrf'), o);
}
