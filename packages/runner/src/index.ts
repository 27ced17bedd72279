// @dlm/runner: train / sample / eval loops, run directories, checkpoints, metrics.
export * from './lr-schedule.ts';
export * from './progress.ts';
export * from './metrics.ts';
export * from './plot.ts';
export * from './checkpoint.ts';
export * from './ema.ts';
export * from './train-loop.ts';
export * from './experiment.ts';
export * from './session.ts';
export * from './run-dir.ts';
export * from './weights.ts';
export * from './run-train.ts';
export * from './run-sample.ts';
export * from './run-eval.ts';
export * from './report.ts';
export * from './bench-samplers.ts';
