// `npm run test:slurm`: the tests that need a real Slurm cluster (`*.slurm.test.ts`, left out of `npm test`).
// Their setup starts a one-node cluster (packages/cli/src/testing-slurm-cluster.ts) and fails, naming the apt-get
// command, when Slurm is not installed. `.ci/run` installs slurm-wlm and munge and runs this after `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['packages/*/src/**/*.slurm.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 1_200_000,
    hookTimeout: 120_000,
  },
});
