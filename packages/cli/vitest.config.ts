// The CLI's tests are end-to-end: each spawns `dlm` processes (one wasm thread each, DLM_THREADS=1) and mostly
// waits on them, so two test files run at once use both cores instead of one.
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

export default mergeConfig(shared, defineConfig({ test: { maxWorkers: 2, fileParallelism: true } }));
