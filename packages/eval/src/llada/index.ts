export * from './forward-process.ts';
export * from './mc-loglik.ts';
