export {
  GaussianEmbeddingProcess,
  anchorMasked,
  checkPositionMask,
  positionsOf,
  type GaussianProcessOptions,
  type PositionMask,
} from './gaussian-process.ts';
export * from './p-mean-variance.ts';
export { roundToEmbedding, embedTokens, checkEmbeddingWidth, checkVocabIds, type Rounded } from './rounding.ts';
export * from './q-sample-tf.ts';
export * from './embedding-logits.ts';
export * from './ar-diffusion-time.ts';
