export * from './errors.ts';
export * from './registry.ts';
export * from './rng.ts';
export * from './nd.ts';
export * from './tf.ts';
export * from './backend/select.ts';
export { completeKernels, COMPLETED_KERNELS } from './kernels/complete.ts';
export * from './numerics.ts';
