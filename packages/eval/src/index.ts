// @dlm/eval: ELBO perplexity bounds with standard errors, the unigram baseline, LLaDA's Monte-Carlo conditional
// log-likelihood (re-exported from its family), multiple-choice tasks (mc/: readers, the harness prompts, acc and
// acc_norm), the answer extraction rules of conditional-generation evaluation (answer/), and text metrics
// (sacreBLEU BLEU / chrF / chrF++, rouge-score ROUGE-1/2/L, distinct-n, self-BLEU, DiffuSeq's NLTK sentence BLEU
// and MBR selection).
export {};
export * from './llada/index.ts';
export * from './elbo-perplexity.ts';
export * from './unigram-perplexity.ts';
export * from './text-metrics/index.ts';
export { estimateTerms, type TermEstimate, type TermsEstimate } from './terms-estimate.ts';
export { meanStderr, type MeanStderr } from './mean-stderr.ts';
export { unigramEntropy } from './unigram-entropy.ts';
export * from './mc/index.ts';
export {
  answerRules,
  answerRuleOf,
  compileAnswerRegex,
  scoreAnswer,
  type AnswerRule,
  type ExtractOptions,
} from './answer/extract.ts';
