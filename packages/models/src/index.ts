// @dlm/models: Backbones (DiT with adaLN and rotary, LLaDA-style transformer, embedding-diffusion transformer, causal AR) and family presets.
export * from './backbones/dit/index.ts';
export * from './backbones/llada/index.ts';
export * from './backbones/backbone.ts';
export * from './backbones/registry.ts';
export * from './bench/index.ts';
export * from './family.ts';
export * from './families/index.ts';
