// @dlm/models: Backbones (DiT with adaLN and rotary for SEDD / MDLM, the LLaDA transformer, the Diffusion-LM /
// DiffuSeq embedding transformer), the MDLM and SEDD family presets, and the kernel / network benchmarks behind
// `dlm bench`.
export * from './backbones/dit/index.ts';
export * from './backbones/llada/index.ts';
export * from './backbones/causal-dit/index.ts';
export * from './backbones/gpt2/index.ts';
export * from './backbones/embedding-transformer/index.ts';
export * from './backbones/backbone.ts';
export * from './backbones/registry.ts';
export * from './bench/index.ts';
export * from './family.ts';
export * from './families/index.ts';
export * from './memory-estimate.ts';
export * from './layouts/index.ts';
export * from './control/index.ts';
