// BLEU exactly as sacreBLEU 2.x with its defaults: `BLEU().corpus_score(hyps, [refs])` and
// `sacrebleu.sentence_bleu(hyp, refs)` (13a tokenization, smoothing 'exp', max order 4, mixed case; sentence BLEU
// with effective order).
// Reference: mjpost/sacrebleu sacrebleu/metrics/bleu.py:BLEU.compute_bleu, _preprocess_segment,
// _get_closest_ref_len, _extract_reference_info, _compute_segment_statistics, and sacrebleu/metrics/base.py:
// Metric._cache_references (2.x; the values are checked against sacreBLEU 2.6.0 in the seq2seq-metrics fixture).
//
// Segment statistics (refs = the non-empty references; sacreBLEU refuses a segment with none):
//   h = tokens(13a(rstrip(hyp))), r_k = tokens(13a(rstrip(ref_k)))
//   sys_len = |h|;  ref_len = the |r_k| closest to |h| (ties: the shorter)
//   ref count of an n-gram g = max_k count_{r_k}(g)
//   totals[n] = #n-grams of h;  counts[n] = Σ_{distinct g in h} min(count_h(g), ref count(g)),  n = 1..4
// Corpus statistics are the sums over segments. Score from statistics:
//   bp = 1 if sys_len ≥ ref_len, exp(1 − ref_len/sys_len) if 0 < sys_len < ref_len, 0 if sys_len = 0
//   all counts 0 → score 0, precisions all 0
//   else for n = 1..4 with m = 1: stop at the first totals[n] = 0; counts[n] = 0 → m ← 2m, p_n = 100/(m·totals[n]);
//   else p_n = 100·counts[n]/totals[n]. N = 4, or with effective order the last n reached.
//   score = bp · exp(Σ_{n ≤ N} log p_n / N), with log 0 = −9999999999 (sacrebleu.utils.my_log).
// The arithmetic is done in the reference's order so the float64 results agree to the last bits.
import { ConfigError, brief } from '@dlm/core/errors';
import { assertAligned } from './segments.ts';
import { clippedMatches, countNgrams, totalCount } from './ngram-counts.ts';
import { pyRstrip, pySplit } from './python-str.ts';
import { tokenize13a } from './tokenize-13a.ts';

/** sacreBLEU's BLEU.MAX_NGRAM_ORDER. */
export const BLEU_MAX_ORDER = 4;

/** The sufficient statistics of BLEU over one segment or summed over a corpus. */
export interface BleuStats {
  /** Clipped matching n-grams, n = 1…4. */
  counts: number[];
  /** Hypothesis n-grams, n = 1…4. */
  totals: number[];
  sysLen: number;
  refLen: number;
}

/** A BLEU result: sacreBLEU's BLEUScore fields. */
export interface BleuScore extends BleuStats {
  /** 0–100. */
  score: number;
  /** Per order, in percent, after smoothing. */
  precisions: number[];
  /** Brevity penalty. */
  bp: number;
}

/** The tokens BLEU counts for one segment: 13a of the right-stripped text (sacreBLEU BLEU._preprocess_segment). */
export function bleuTokens(segment: string): string[] {
  return pySplit(tokenize13a(pyRstrip(segment)));
}

/** All n-grams of orders 1…maxOrder of a token list (sacreBLEU helpers.extract_all_word_ngrams). */
function allNgrams(tokens: readonly string[], maxOrder: number): Map<string, number>[] {
  return Array.from({ length: maxOrder }, (_, i) => countNgrams(tokens, i + 1, ' '));
}

/** sacreBLEU's closest reference length: the one nearest to the hypothesis length, the shorter on a tie. */
export function closestRefLen(hypLen: number, refLens: readonly number[]): number {
  let best = -1;
  let bestDiff = -1;
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len);
    if (bestDiff === -1 || diff < bestDiff || (diff === bestDiff && len < best)) {
      bestDiff = diff;
      best = len;
    }
  }
  return best;
}

/**
 * Statistics of one hypothesis against its references. Empty references are dropped (sacreBLEU's variable
 * number of references); with none left sacreBLEU refuses the segment, and so does this.
 */
export function bleuSegmentStats(hyp: string, refs: readonly string[], op = 'bleu'): BleuStats {
  const kept = refs.filter((r) => r !== '');
  if (kept.length === 0) {
    throw new ConfigError({
      op,
      arg: 'references',
      expected: 'at least one non-empty reference (sacreBLEU refuses an empty reference)',
      got: brief(refs),
    });
  }
  const refNgrams: Map<string, number>[] = Array.from({ length: BLEU_MAX_ORDER }, () => new Map());
  const refLens: number[] = [];
  for (const ref of kept) {
    const tokens = bleuTokens(ref);
    refLens.push(tokens.length);
    allNgrams(tokens, BLEU_MAX_ORDER).forEach((counts, n) => {
      const merged = refNgrams[n]!;
      for (const [g, c] of counts) merged.set(g, Math.max(merged.get(g) ?? 0, c));
    });
  }
  const h = bleuTokens(hyp);
  const hypNgrams = allNgrams(h, BLEU_MAX_ORDER);
  return {
    counts: hypNgrams.map((counts, n) => clippedMatches(counts, refNgrams[n]!)),
    totals: hypNgrams.map(totalCount),
    sysLen: h.length,
    refLen: closestRefLen(h.length, refLens),
  };
}

/** Σ of per-segment statistics (corpus BLEU sums before scoring). */
export function sumBleuStats(all: readonly BleuStats[]): BleuStats {
  const out: BleuStats = { counts: [0, 0, 0, 0], totals: [0, 0, 0, 0], sysLen: 0, refLen: 0 };
  for (const s of all) {
    for (let n = 0; n < BLEU_MAX_ORDER; n++) {
      out.counts[n]! += s.counts[n]!;
      out.totals[n]! += s.totals[n]!;
    }
    out.sysLen += s.sysLen;
    out.refLen += s.refLen;
  }
  return out;
}

/** sacrebleu.utils.my_log: log, with log 0 = −9999999999. */
function myLog(x: number): number {
  return x === 0 ? -9999999999 : Math.log(x);
}

/** BLEU from statistics with 'exp' smoothing (sacreBLEU BLEU.compute_bleu). */
export function bleuFromStats(stats: BleuStats, opts: { effectiveOrder?: boolean } = {}): BleuScore {
  const { counts, totals, sysLen, refLen } = stats;
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(BLEU_MAX_ORDER).fill(0);
  const base = { counts: [...counts], totals: [...totals], sysLen, refLen, precisions, bp };
  if (!counts.some((c) => c !== 0)) return { score: 0, ...base };
  let smooth = 1;
  let order = BLEU_MAX_ORDER;
  for (let n = 1; n <= BLEU_MAX_ORDER; n++) {
    const total = totals[n - 1]!;
    if (total === 0) break;
    if (opts.effectiveOrder) order = n;
    const correct = counts[n - 1]!;
    if (correct === 0) {
      smooth *= 2;
      precisions[n - 1] = 100 / (smooth * total);
    } else {
      precisions[n - 1] = (100 * correct) / total;
    }
  }
  let logSum = 0;
  for (let n = 0; n < order; n++) logSum += myLog(precisions[n]!);
  return { score: bp * Math.exp(logSum / order), ...base };
}

/** Corpus BLEU, one reference per hypothesis: `BLEU().corpus_score(hyps, [refs])` (no effective order). */
export function corpusBleu(hyps: readonly string[], refs: readonly string[]): BleuScore {
  assertAligned('corpusBleu', hyps, refs);
  return bleuFromStats(sumBleuStats(hyps.map((h, i) => bleuSegmentStats(h, [refs[i]!], 'corpusBleu'))));
}

/** Sentence BLEU: `sacrebleu.sentence_bleu(hyp, refs)` (effective order, 'exp' smoothing). */
export function sentenceBleu(hyp: string, refs: string | readonly string[]): BleuScore {
  const list = typeof refs === 'string' ? [refs] : refs;
  return bleuFromStats(bleuSegmentStats(hyp, list, 'sentenceBleu'), { effectiveOrder: true });
}
