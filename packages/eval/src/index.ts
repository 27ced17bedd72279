// @dlm/eval: ELBO perplexity bounds with standard errors, the unigram baseline, LLaDA's Monte-Carlo conditional
// log-likelihood.
export {};
export * from './llada/index.ts';
export * from './elbo-perplexity.ts';
export * from './unigram-perplexity.ts';
