// `dlm bench <suite>`: speed lives here, never in timed tests. Each suite prints a table,
// or JSON with --json (for tracking figures across commits and machines).
import type { CommandModule } from 'yargs';
import type { BackendFlags } from '../backend-options.ts';

interface KernelArgs extends BackendFlags {
  json?: boolean;
  steps?: number;
  batch?: number;
  length?: number;
}

const kernels: CommandModule<object, KernelArgs> = {
  command: 'kernels',
  describe: 'matmul GFLOP/s (NN, NT, TN) and DiT forward / training-step tokens/s',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', describe: 'print JSON instead of a table' })
      .option('steps', { type: 'number', default: 5, describe: 'timed DiT steps (after warm-up)' })
      .option('batch', { type: 'number', default: 16, describe: 'DiT batch size' })
      .option('length', { type: 'number', default: 128, describe: 'DiT sequence length' }) as never,
  handler: async (argv) => {
    // Loaded on use so `dlm --help` never starts tfjs.
    const { withBackend } = await import('../backend-options.ts');
    const { runKernelBench, formatKernelBench } = await import('@dlm/models');
    await withBackend(argv, async (info) => {
      const result = await runKernelBench({ steps: argv.steps ?? 5, batch: argv.batch ?? 16, length: argv.length ?? 128 });
      const out = { backend: info.name, threads: info.threads, ...result };
      process.stdout.write(argv.json ? `${JSON.stringify(out, null, 2)}\n` : `backend ${info.name}, threads ${info.threads}\n${formatKernelBench(result)}\n`);
    });
  },
};

export const benchCommand: CommandModule = {
  command: 'bench',
  describe: 'Benchmarks (suites: kernels)',
  builder: (y) => y.command(kernels as never).demandCommand(1, 'Name a benchmark suite.'),
  handler: () => {},
};
