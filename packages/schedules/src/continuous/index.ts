export * from './types.ts';
export * from './define.ts';
export * from './loglinear.ts';
export * from './geometric.ts';
export * from './cosine.ts';
export * from './linear.ts';
export * from './registry.ts';
