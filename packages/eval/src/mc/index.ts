export * from './task.ts';
export * from './mmlu-csv.ts';
export * from './cais-mmlu.ts';
export * from './continuation-jsonl.ts';
export * from './open-task.ts';
export * from './templates.ts';
export * from './prompt.ts';
export * from './metrics.ts';
