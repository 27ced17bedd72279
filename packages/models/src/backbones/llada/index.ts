export { LladaModel, type LladaForwardOptions } from './llada.ts';
export { resolveLladaOptions, LLADA_DEFAULTS, type LladaOptions, type LladaOptionsInput } from './options.ts';
export { lladaConfigInfo, type LladaConfigInfo } from './config.ts';
export { lladaBlock, repeatKvHeads } from './block.ts';
export { LLADA_8B, lladaModelSchema, type LladaModelConfig } from './schema.ts';
export { lladaBackbone } from './backbone.ts';
export { lladaMaskPredictor } from './mask-predictor.ts';
