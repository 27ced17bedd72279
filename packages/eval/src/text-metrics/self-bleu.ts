// self-BLEU: how much each output repeats the others (lower = more diverse).
//   self-BLEU = (1/N) Σ_i sentenceBleu(output_i, { output_j : j ≠ i })
// Variant, stated exactly: sentenceBleu is sacreBLEU's `sentence_bleu(hyp, refs)` (bleu.ts: 13a tokens, 'exp'
// smoothing, effective order, max order 4) with all the other outputs as its multi-reference set, so a hypothesis
// n-gram is clipped by its largest count in any single other output and the reference length is the other output's
// length closest to the hypothesis' (the shorter on a tie). Empty outputs are dropped from the reference sets as
// sacreBLEU drops empty references; an output whose others are all empty scores 0 (sacreBLEU would refuse it). The
// score is on sacreBLEU's 0–100 scale. (Zhu et al. 2018, Texygen, use NLTK's BLEU; DiffuSeq compares pairs of samples
// of one source; neither is this.)
// Computed in O(total n-grams + N²) with, per n-gram, its two largest counts and their owners, so output i's
// reference count (the largest among j ≠ i) needs no pass over the others; self-bleu.test.ts checks it against
// sentenceBleu with the explicit reference lists.
import { ConfigError } from '@dlm/core/errors';
import { BLEU_MAX_ORDER, bleuFromStats, bleuTokens, closestRefLen, type BleuStats } from './bleu.ts';
import { countNgrams } from './ngram-counts.ts';

export interface SelfBleu {
  /** Mean over outputs, 0–100. */
  score: number;
  /** Each output's sentence BLEU against the others. */
  perOutput: number[];
}

interface Top2 {
  count: number;
  owner: number;
  second: number;
}

/** self-BLEU of a set of at least two outputs (see the header for the exact variant). */
export function selfBleu(outputs: readonly string[]): SelfBleu {
  if (outputs.length < 2) {
    throw new ConfigError({ op: 'selfBleu', arg: 'outputs', expected: 'at least 2 outputs', got: `${outputs.length}` });
  }
  const tokens = outputs.map(bleuTokens);
  const tables = tokens.map((t) => Array.from({ length: BLEU_MAX_ORDER }, (_, k) => countNgrams(t, k + 1, ' ')));
  // For every n-gram of a non-empty output: its largest count, whose it is, and the largest count of anyone else.
  const top: Map<string, Top2>[] = Array.from({ length: BLEU_MAX_ORDER }, () => new Map());
  outputs.forEach((out, j) => {
    if (out === '') return;
    tables[j]!.forEach((table, k) => {
      for (const [g, c] of table) {
        const t = top[k]!.get(g);
        if (t === undefined) top[k]!.set(g, { count: c, owner: j, second: 0 });
        else if (c > t.count) top[k]!.set(g, { count: c, owner: j, second: t.count });
        else if (c > t.second) t.second = c;
      }
    });
  });
  const perOutput = outputs.map((_, i) => {
    const refLens = tokens.filter((_t, j) => j !== i && outputs[j] !== '').map((t) => t.length);
    if (refLens.length === 0) return 0;
    const hypLen = tokens[i]!.length;
    const stats: BleuStats = { counts: [], totals: [], sysLen: hypLen, refLen: closestRefLen(hypLen, refLens) };
    tables[i]!.forEach((table, k) => {
      let correct = 0;
      let total = 0;
      for (const [g, c] of table) {
        total += c;
        const t = top[k]!.get(g);
        if (t !== undefined) correct += Math.min(c, t.owner === i ? t.second : t.count);
      }
      stats.counts.push(correct);
      stats.totals.push(total);
    });
    return bleuFromStats(stats, { effectiveOrder: true }).score;
  });
  return { score: perOutput.reduce((a, b) => a + b, 0) / perOutput.length, perOutput };
}
