export * from './types.ts';
export * from './score-entropy.ts';
export * from './absorbing.ts';
export * from './uniform.ts';
export * from './registry.ts';
