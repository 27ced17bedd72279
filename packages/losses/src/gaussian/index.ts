export * from './token-cross-entropy.ts';
export * from './embedding-diffusion-terms.ts';
export * from './diffusion-lm-e2e.ts';
export * from './diffuseq-seq2seq.ts';
export * from './difformer-anchor.ts';
