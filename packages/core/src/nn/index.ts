export { linear } from './linear.ts';
export { embedding } from './embedding.ts';
export { layerNorm, type LayerNormOptions } from './layer-norm.ts';
export { rmsNorm, type RmsNormOptions } from './rms-norm.ts';
export { geluTanh } from './gelu-tanh.ts';
export { gelu } from './gelu.ts';
export { silu } from './silu.ts';
export { rotaryInvFreq, rotaryTables, rotateHalf, applyRotary, type RotaryTables } from './rotary.ts';
export { attention, splitHeads, mergeHeads, FLOAT32_MIN, type AttentionOptions } from './attention.ts';
export { timestepFeatures, timestepFrequencies } from './timestep-features.ts';
export { crossEntropy, type CrossEntropyOptions } from './cross-entropy.ts';
export {
  linearLogSoftmaxGather,
  defaultChunkRows,
  LOG_SOFTMAX_CHUNK_ELEMENTS,
  type LinearLogSoftmaxGatherOptions,
} from './linear-log-softmax-gather.ts';
export { ParamStore, withPlaceholderParams, type Init, type StateTensor } from './param-store.ts';
export { closeReport, assertAllClose, type CloseReport } from './all-close.ts';
export { asStateSource, isStateSource, mapStateSource, renameStateSource, type StateSource } from './state-source.ts';
