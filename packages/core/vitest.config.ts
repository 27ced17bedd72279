// @dlm/core runs most of its test files in one shared module graph per worker (vitest.shared.ts: isolate: false),
// which saves importing tfjs and the wasm backend again for every file. Three files keep per-file isolation, as a
// second vitest project: select and wasm-threads create and shut down tfjs backends and the wasm thread pool, and
// bench/matmul.test.ts checks the absolute tensor count, so none of them may share engine state with another file.
// The other files set the backend they need in beforeAll (initBackend) and check tensor counts as deltas.
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

const ISOLATED = ['src/backend/select.test.ts', 'src/backend/wasm-threads.test.ts', 'src/bench/matmul.test.ts'];
const { include, reporters: _reporters, ...common } = shared.test ?? {};

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      projects: [
        { test: { ...common, name: 'core', include, exclude: ISOLATED, isolate: false } },
        { test: { ...common, name: 'core-isolated', include: ISOLATED, isolate: true } },
      ],
    },
  }),
);
