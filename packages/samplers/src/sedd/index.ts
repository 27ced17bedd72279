export * from './types.ts';
export * from './euler.ts';
export * from './analytic.ts';
export * from './denoiser.ts';
export * from './registry.ts';
export * from './pc-sampler.ts';
