export { Gpt2Model, type Gpt2ForwardOptions, type Gpt2Output } from './gpt2.ts';
export { Gpt2KvCache } from './kv-cache.ts';
export { resolveGpt2Options, type Gpt2Options, type Gpt2OptionsInput } from './options.ts';
export { gpt2ConfigInfo, type Gpt2ConfigInfo } from './config.ts';
export { gpt2Block, conv1d, type Gpt2BlockOutput } from './block.ts';
export { teacherForcedLogProbs, sequenceNll, logSumExp } from './teacher-forcing.ts';
export { gpt2Backbone } from './backbone.ts';
export { gpt2ModelSchema, GPT2_DEFAULTS, type Gpt2ModelConfig } from './schema.ts';
