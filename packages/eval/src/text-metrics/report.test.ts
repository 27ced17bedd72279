import { describe, expect, it } from 'vitest';
import { chrfKey, textMetricReport, textMetrics } from './report.ts';

const hyps = ['the cat sat on the mat', 'the runners were running'];
const refs = ['the cat sat on a mat', 'the runner runs'];

describe('text metric reports', () => {
  it('lists bleu, chrf, rouge and refuses unknown names with the list', () => {
    expect(textMetrics.names()).toEqual(['bleu', 'chrf', 'rouge']);
    expect(() => textMetricReport('blue', hyps, refs)).toThrow(/"blue" is not a known text metric.*bleu, chrf, rouge/);
  });

  it('bleu: corpus BLEU, the sentence mean, one entry per line in the fixture layout', () => {
    const r = textMetricReport('bleu', hyps, refs);
    expect(Object.keys(r.corpus)).toEqual(['bleu', 'sentence_bleu_mean']);
    expect(Object.keys(r.corpus['bleu'] as object)).toEqual([
      'score',
      'counts',
      'totals',
      'precisions',
      'bp',
      'sys_len',
      'ref_len',
    ]);
    expect(r.lines.map((l) => [l.line, l.hypothesis, l.reference])).toEqual([
      [1, hyps[0], refs[0]],
      [2, hyps[1], refs[1]],
    ]);
    const lineScores = r.lines.map((l) => (l['sentence_bleu'] as { score: number }).score);
    expect(r.corpus['sentence_bleu_mean']).toBe((lineScores[0]! + lineScores[1]!) / 2);
    expect(textMetrics.get('bleu').format(r)).toMatch(/BLEU .*2 lines[\s\S]*sys_len \/ ref_len {2}10 \/ 9/);
  });

  it('chrf keys follow the word order; rouge keys follow the stemmer', () => {
    expect([0, 1, 2].map(chrfKey)).toEqual(['chrf', 'chrf_plus', 'chrf_plus_plus']);
    const c = textMetricReport('chrf', hyps, refs, { wordOrder: 2 });
    expect(Object.keys(c.corpus)).toEqual(['chrf_plus_plus', 'sentence_chrf_plus_plus_mean']);
    expect(Object.keys(c.lines[0]!)).toContain('sentence_chrf_plus_plus');
    expect(textMetrics.get('chrf').format(c)).toMatch(/^chrF2\+\+ .*word order 2/);
    const r = textMetricReport('rouge', hyps, refs, { stemmer: true });
    expect(Object.keys(r.corpus)).toEqual(['rouge_stemmer_mean']);
    expect(Object.keys(r.lines[1]!)).toContain('rouge_stemmer');
    expect(textMetrics.get('rouge').format(r)).toMatch(/stemmer on[\s\S]*rougeL/);
  });

  it('refuses options a metric does not take, and misaligned inputs', () => {
    expect(() => textMetricReport('bleu', hyps, refs, { stemmer: true })).toThrow(
      /metrics bleu: stemmer, expected only with rouge, got true/,
    );
    expect(() => textMetricReport('rouge', hyps, refs, { wordOrder: 2 })).toThrow(/wordOrder, expected only with chrf/);
    expect(() => textMetricReport('rouge', hyps, refs.slice(1))).toThrow(/metrics rouge: references.*expected 2/);
    expect(() => textMetricReport('chrf', hyps, refs, { wordOrder: 1.5 })).toThrow(
      /metrics chrf: wordOrder, expected an integer ≥ 0, got 1\.5/,
    );
  });
});
