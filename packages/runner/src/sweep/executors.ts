// The sweep executors by name (`dlm sweep run --executor <name>`). One line per executor.
import { Registry } from '@dlm/core';
import type { SweepExecutor } from './types.ts';
import { localExecutor } from './local-executor.ts';
import { slurmExecutorDefault } from './slurm/slurm-executor.ts';

export const executors = new Registry<SweepExecutor>('sweep executor', [
  ['local', localExecutor],
  ['slurm', slurmExecutorDefault],
]);
