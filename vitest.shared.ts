// Shared vitest settings for every package: node environment, forked workers, and one module graph per worker
// (isolate: false). Most of a package's test time was importing the same graph (tfjs, the wasm backend, the
// @dlm/* sources) again for every test file; with isolate: false a worker imports it once and runs its files one
// after the other. That is safe where tests leave no global state behind that another file reads: tensor-leak
// checks here compare tf.memory().numTensors before/after (never an absolute count), and no test outside
// @dlm/core switches the tfjs backend. @dlm/core's vitest.config.ts keeps per-file isolation for its three files
// that create/shut down backends or count tensors absolutely. A new test that leaves global state behind must
// restore it or join such an isolated group.
// Each package also writes a JSON report that scripts/test-summary.mjs adds up into one closing line for CI.
// Kernel paths: every test runs with DLM_NATIVE=0 (the wasm kernels); the reference-parity and checkpoint-parity
// files run a second time with DLM_NATIVE=1 (the @dlm/native kernel path, which must then be built: they fail, never
// skip, when it is not), as a second vitest project of their package (withNativeRerun).
import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

const shared = defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests against a real Slurm cluster run only through `npm run test:slurm` (vitest.slurm.config.ts).
    exclude: ['**/node_modules/**', '**/*.slurm.test.ts'],
    pool: 'forks',
    isolate: false,
    env: { DLM_NATIVE: '0' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: [
      'default',
      [
        'json',
        {
          outputFile: '../../.test-results/' + (process.env.npm_package_name ?? 'pkg').replace(/[@/]/g, '_') + '.json',
        },
      ],
    ],
  },
});

export default shared;

/**
 * The shared config as two projects: `name` (every test file, DLM_NATIVE=0) and `name-native` (`files` again with
 * DLM_NATIVE=1). `files` are globs relative to the package.
 */
export function withNativeRerun(name: string, files: string[]): ViteUserConfig {
  const { include, reporters: _reporters, ...common } = shared.test ?? {};
  return mergeConfig(
    shared,
    defineConfig({
      test: {
        projects: [
          { test: { ...common, name, include } },
          { test: { ...common, name: `${name}-native`, include: files, env: { DLM_NATIVE: '1' } } },
        ],
      },
    }),
  );
}
