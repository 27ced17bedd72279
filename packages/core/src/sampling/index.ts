export { type Rows, sampleFromUniforms } from './from-uniforms.ts';
export { type CategoricalInput, type CategoricalOptions, sampleCategorical } from './categorical.ts';
export { applyTopK } from './top-k.ts';
export { applyTopP } from './top-p.ts';
export { type ChiSquareResult, chiSquareTest, gammaQ, logGamma } from './chi-square.ts';
