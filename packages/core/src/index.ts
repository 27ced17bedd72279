// @dlm/core: tfjs backend choice and kernel completion, seeded Rng, numerics, Registry, error classes, safetensors
// I/O, nn building blocks, AdamW, categorical sampling, the leak guard and the fixture-routing helpers of the tests.
export * from './errors.ts';
export * from './registry.ts';
export * from './suggest.ts';
export * from './rng.ts';
export * from './nd.ts';
export * from './tf.ts';
export * from './backend/select.ts';
export { completeKernels, isCompletedKernel, COMPLETED_KERNELS } from './kernels/complete.ts';
export * from './testing/leak-guard.ts';
export * from './testing/pending-fixtures.ts';
export * from './testing/checkpoint-family.ts';
export * from './bench/matmul.ts';
export * from './numerics.ts';
export * from './safetensors/index.ts';
export * from './sampling/index.ts';
export * from './nn/index.ts';
export * from './optim/index.ts';
export * from './checks.ts';
export * from './log.ts';
