export * from './types.ts';
export * from './subs.ts';
export * from './score.ts';
export * from './common.ts';
export * from './ddpm.ts';
export * from './ddpm-cache.ts';
export * from './analytic.ts';
export * from './sample.ts';
