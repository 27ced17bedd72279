export * from './block-time.ts';
export * from './position-time.ts';
