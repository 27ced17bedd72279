// @dlm/runner: train / sample / eval loops, run directories, checkpoints, metrics.
export * from './lr-schedule.ts';
export * from './progress.ts';
export * from './metrics.ts';
export * from './plot.ts';
export * from './checkpoint.ts';
export * from './ema.ts';
export * from './train-loop.ts';
