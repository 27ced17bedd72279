// @dlm/losses: Score entropy, MDLM NELBO, LLaDA masked CE, Diffusion-LM e2e, DiffuSeq seq2seq, Difformer anchor loss.
export * from './normalization.ts';
export * from './subs.ts';
export * from './time-sampling.ts';
export * from './mdlm-nelbo.ts';
export * from './mdlm-nelbo-chunked.ts';
export * from './mdlm-nelbo-discrete.ts';
export * from './llada-masked-ce.ts';
export * from './gaussian/index.ts';
export * from './score-entropy.ts';
export * from './sedd-loss.ts';
