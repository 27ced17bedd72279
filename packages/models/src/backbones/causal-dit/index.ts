export { CausalDit } from './causal-dit.ts';
export {
  resolveCausalDitOptions,
  CAUSAL_DIT_DEFAULTS,
  type CausalDitOptions,
  type CausalDitOptionsInput,
} from './options.ts';
export { createCausalDitParams } from './params.ts';
export { arLogProbs, AR_MASK_LOGIT } from './ar-log-probs.ts';
export { causalDitBackbone } from './backbone.ts';
export { causalDitModelSchema, type CausalDitModelConfig } from './schema.ts';
