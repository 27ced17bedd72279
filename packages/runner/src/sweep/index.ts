// Sweeps: sweep files → planned points → a sweep directory run by an executor → a report.
export * from './types.ts';
export * from './sweep-file.ts';
export * from './sweep-dir.ts';
export * from './run-point.ts';
export * from './local-executor.ts';
export * from './executors.ts';
export * from './run-sweep.ts';
export * from './sweep-report.ts';
export * from './write-sweep-report.ts';
export * from './sweep-evals.ts';
export * from './sweep-eval-report.ts';
export { slurmStatus } from './slurm/slurm-status.ts';
