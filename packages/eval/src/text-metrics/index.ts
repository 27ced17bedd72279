// Text metrics of generated sequences (no tensors, so the CLI loads them without tfjs through
// `@dlm/eval/text-metrics`): sacreBLEU's BLEU and chrF/chrF++, rouge-score's ROUGE-1/2/L with NLTK's Porter
// stemmer, distinct-n and self-BLEU, and the fixture-layout reports of `dlm metrics`; DiffuSeq's NLTK sentence BLEU
// (method4) and its MBR selection.
export * from './python-str.ts';
export * from './ngram-counts.ts';
export * from './segments.ts';
export * from './tokenize-13a.ts';
export * from './bleu.ts';
export * from './chrf.ts';
export * from './porter-stemmer.ts';
export * from './rouge.ts';
export * from './distinct-n.ts';
export * from './self-bleu.ts';
export * from './python-fsum.ts';
export * from './numpy-sum.ts';
export * from './nltk-bleu.ts';
export * from './mbr.ts';
export * from './report.ts';
