export * from './types.ts';
export * from './transfer-schedule.ts';
export * from './gumbel.ts';
export * from './draws.ts';
export * from './cfg.ts';
export * from './remasking/index.ts';
export * from './generate.ts';
export * from './fast-dllm/index.ts';
