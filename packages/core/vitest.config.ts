// @dlm/core keeps vitest's per-file isolation (a fresh module graph for each test file): its kernel and backend
// tests switch the global tfjs backend (tf.setBackend 'wasm' ↔ 'cpu', initBackend/shutdownBackend) and
// bench/matmul.test.ts checks the absolute tensor count, so they must not inherit the tfjs engine state of an
// earlier file in the same worker. (All other core files passed in one shared graph, so a later split into two
// vitest projects, isolated and shared, would save most of core's import time.)
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

export default mergeConfig(shared, defineConfig({ test: { isolate: true } }));
