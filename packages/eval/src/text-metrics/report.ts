// `dlm metrics bleu|chrf|rouge`: each text metric as one registry entry that scores line-aligned hypotheses and
// references into the layout of the seq2seq-metrics fixture's expected.json (`corpus` and `lines`, snake_case keys
// as there) and prints a short table. The CLI takes its list of metric names from this registry.
//   bleu:  corpus.bleu (corpus BLEU) + corpus.sentence_bleu_mean; lines[i].sentence_bleu
//   chrf:  corpus.chrf + corpus.sentence_chrf_mean; lines[i].sentence_chrf — with word order 2 the key is
//          chrf_plus_plus (word order w: 'chrf' + '_plus' × w, as sacreBLEU's name chrF2 + '+' × w)
//   rouge: corpus.rouge_mean; lines[i].rouge — with the stemmer rouge_stemmer_mean / rouge_stemmer
import { ConfigError } from '@dlm/core/errors';
import { Registry } from '@dlm/core/registry';
import { corpusBleu, sentenceBleu, type BleuScore } from './bleu.ts';
import { corpusChrf, resolveChrfOptions, sentenceChrf } from './chrf.ts';
import { ROUGE_TYPES, meanRouge, rougeScores, type RougeScores } from './rouge.ts';
import { assertAligned } from './segments.ts';

/** Options of `dlm metrics`; each metric says which ones it takes. */
export interface TextMetricOptions {
  /** chrF word n-gram order (0: chrF, 2: chrF++). */
  wordOrder?: number;
  /** ROUGE with NLTK's Porter stemmer. */
  stemmer?: boolean;
}

/** A report in the fixture's layout. */
export interface TextMetricReport {
  metric: string;
  settings: Record<string, string | number | boolean>;
  n_lines: number;
  corpus: Record<string, unknown>;
  lines: ({ line: number; hypothesis: string; reference: string } & Record<string, unknown>)[];
}

export interface TextMetric {
  describe: string;
  /** The options of TextMetricOptions this metric reads. */
  options: readonly (keyof TextMetricOptions)[];
  report(hyps: readonly string[], refs: readonly string[], opts: TextMetricOptions): TextMetricReport;
  format(report: TextMetricReport): string;
}

/** sacreBLEU's BLEUScore fields, named as in the fixture. */
export interface BleuJson {
  score: number;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  sys_len: number;
  ref_len: number;
}

/** BLEUScore in the fixture's field names. */
export function bleuJson(s: BleuScore): BleuJson {
  return {
    score: s.score,
    counts: s.counts,
    totals: s.totals,
    precisions: s.precisions,
    bp: s.bp,
    sys_len: s.sysLen,
    ref_len: s.refLen,
  };
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const f4 = (x: number): string => x.toFixed(4);
const pair = (hyps: readonly string[], refs: readonly string[], i: number) => ({
  line: i + 1,
  hypothesis: hyps[i]!,
  reference: refs[i]!,
});

const bleu: TextMetric = {
  describe: "corpus and sentence BLEU as sacreBLEU 2.x's defaults (13a, exp smoothing, order 4, mixed case)",
  options: [],
  report(hyps, refs) {
    assertAligned('metrics bleu', hyps, refs);
    const sentences = hyps.map((h, i) => sentenceBleu(h, [refs[i]!]));
    return {
      metric: 'bleu',
      settings: { tokenize: '13a', smooth: 'exp', max_order: 4, case: 'mixed', sentence_effective_order: true },
      n_lines: hyps.length,
      corpus: {
        bleu: bleuJson(corpusBleu(hyps, refs)),
        sentence_bleu_mean: mean(sentences.map((s) => s.score)),
      },
      lines: sentences.map((s, i) => ({ ...pair(hyps, refs, i), sentence_bleu: bleuJson(s) })),
    };
  },
  format(r) {
    const b = r.corpus['bleu'] as BleuJson;
    const join = (xs: number[], d: number) => xs.map((x) => x.toFixed(d)).join(' / ');
    return [
      `BLEU (sacreBLEU 13a, exp smoothing, ${r.n_lines} lines)`,
      `  score              ${f4(b.score)}`,
      `  precisions (%)     ${join(b.precisions, 2)}`,
      `  counts             ${join(b.counts, 0)}`,
      `  totals             ${join(b.totals, 0)}`,
      `  brevity penalty    ${f4(b.bp)}`,
      `  sys_len / ref_len  ${b.sys_len} / ${b.ref_len}`,
      `  sentence mean      ${f4(r.corpus['sentence_bleu_mean'] as number)}`,
    ].join('\n');
  },
};

/** 'chrf', 'chrf_plus', 'chrf_plus_plus', …: sacreBLEU's chrF name with '+' spelled out. */
export function chrfKey(wordOrder: number): string {
  return `chrf${'_plus'.repeat(wordOrder)}`;
}

const chrf: TextMetric = {
  describe: "chrF (char order 6, beta 2) as sacreBLEU's CHRF; --word-order 2 for chrF++",
  options: ['wordOrder'],
  report(hyps, refs, opts) {
    assertAligned('metrics chrf', hyps, refs);
    const o = resolveChrfOptions('metrics chrf', { charOrder: 6, wordOrder: opts.wordOrder ?? 0, beta: 2 });
    const wordOrder = o.wordOrder;
    const key = chrfKey(wordOrder);
    const sentences = hyps.map((h, i) => sentenceChrf(h, refs[i]!, o));
    return {
      metric: 'chrf',
      settings: { char_order: 6, word_order: wordOrder, beta: 2, case: 'mixed', whitespace: false, eff: true },
      n_lines: hyps.length,
      corpus: { [key]: corpusChrf(hyps, refs, o), [`sentence_${key}_mean`]: mean(sentences) },
      lines: sentences.map((s, i) => ({ ...pair(hyps, refs, i), [`sentence_${key}`]: s })),
    };
  },
  format(r) {
    const w = r.settings['word_order'] as number;
    const key = chrfKey(w);
    return [
      `chrF2${'+'.repeat(w)} (sacreBLEU CHRF, char order 6, word order ${w}, beta 2, ${r.n_lines} lines)`,
      `  corpus         ${f4(r.corpus[key] as number)}`,
      `  sentence mean  ${f4(r.corpus[`sentence_${key}_mean`] as number)}`,
    ].join('\n');
  },
};

const rouge: TextMetric = {
  describe: "ROUGE-1/2/L precision, recall, F as rouge-score (--stemmer: NLTK's Porter stemmer)",
  options: ['stemmer'],
  report(hyps, refs, opts) {
    assertAligned('metrics rouge', hyps, refs);
    const stemmer = opts.stemmer ?? false;
    const key = stemmer ? 'rouge_stemmer' : 'rouge';
    const scores: RougeScores[] = hyps.map((h, i) => rougeScores(h, refs[i]!, { stemmer }));
    return {
      metric: 'rouge',
      settings: { tokenizer: 'rouge-score default', stemmer },
      n_lines: hyps.length,
      corpus: { [`${key}_mean`]: meanRouge(scores) },
      lines: scores.map((s, i) => ({ ...pair(hyps, refs, i), [key]: s })),
    };
  },
  format(r) {
    const stemmer = r.settings['stemmer'] === true;
    const m = r.corpus[stemmer ? 'rouge_stemmer_mean' : 'rouge_mean'] as RougeScores;
    return [
      `ROUGE (rouge-score tokenizer, stemmer ${stemmer ? 'on' : 'off'}, mean over ${r.n_lines} lines)`,
      `           precision  recall  fmeasure`,
      ...ROUGE_TYPES.map((t) => `  ${t.padEnd(7)}  ${f4(m[t].precision)}     ${f4(m[t].recall)}  ${f4(m[t].fmeasure)}`),
    ].join('\n');
  },
};

/** Every text metric of `dlm metrics`, by name. */
export const textMetrics = new Registry<TextMetric>('text metric', [
  ['bleu', bleu],
  ['chrf', chrf],
  ['rouge', rouge],
]);

/** Scores with the named metric; options it does not take are refused (named error). */
export function textMetricReport(
  name: string,
  hyps: readonly string[],
  refs: readonly string[],
  opts: TextMetricOptions = {},
): TextMetricReport {
  const metric = textMetrics.get(name);
  for (const [k, v] of Object.entries(opts) as [keyof TextMetricOptions, unknown][]) {
    if (v !== undefined && !metric.options.includes(k)) {
      const takers = textMetrics.names().filter((n) => textMetrics.get(n).options.includes(k));
      throw new ConfigError({
        op: `metrics ${name}`,
        arg: k,
        expected: `only with ${takers.join(', ')}`,
        got: String(v),
      });
    }
  }
  return metric.report(hyps, refs, opts);
}
