export { Dit } from './dit.ts';
export { resolveDitOptions, DIT_DEFAULTS, type DitOptions, type DitOptionsInput } from './options.ts';
export { createDitParams, type DitInit } from './params.ts';
export { ditBlock, modulate, type BlockDropout } from './block.ts';
export { seddLogScore } from './sedd-log-score.ts';
export {
  seddConfigInfo,
  mdlmConfigInfo,
  loadReferenceDit,
  ditCheckpointInfo,
  type DitCheckpointInfo,
  type SeddConfigInfo,
  type MdlmConfigInfo,
  type ReferenceDit,
} from './reference-configs.ts';
export { ditModelSchema, DIT_SMALL, type DitModelConfig } from './schema.ts';
export { ditBackbone } from './backbone.ts';
