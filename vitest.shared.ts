// Shared vitest settings for every package: node environment, one fork per file so a
// package's tfjs backend state never leaks between test files. Each package also writes a
// JSON report that scripts/test-summary.mjs adds up into one closing line for CI.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: '../../.test-results/' + (process.env.npm_package_name ?? 'pkg').replace(/[@/]/g, '_') + '.json' }]],
  },
});
