// @dlm/eval: Likelihood bounds with standard errors, Monte Carlo conditional log-likelihood, multiple choice, generation metrics, speed.
export {};
export * from './llada/index.ts';
export * from './elbo-perplexity.ts';
export * from './unigram-perplexity.ts';
