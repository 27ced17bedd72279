export * from './p-sample.ts';
export * from './p-sample-loop.ts';
