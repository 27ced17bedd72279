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
      const result = await runKernelBench({
        steps: argv.steps ?? 5,
        batch: argv.batch ?? 16,
        length: argv.length ?? 128,
      });
      const out = { backend: info.name, threads: info.threads, ...result };
      process.stdout.write(
        argv.json
          ? `${JSON.stringify(out, null, 2)}\n`
          : `backend ${info.name}, threads ${info.threads}\n${formatKernelBench(result)}\n`,
      );
    });
  },
};

interface SamplerArgs extends BackendFlags {
  run: string;
  steps?: number;
  num?: number;
  length?: number;
  sampler?: string[];
  'block-length'?: number;
  threshold?: number;
  json?: boolean;
}

const samplers: CommandModule<object, SamplerArgs> = {
  command: 'samplers <run>',
  describe: "NFE, wall-clock and tokens/s of the run's samplers at the same step count",
  builder: (y) =>
    y
      .positional('run', { type: 'string', describe: 'run directory', demandOption: true })
      .option('steps', { type: 'number', default: 1000, describe: 'sampling steps' })
      .option('num', { type: 'number', default: 4, describe: 'samples per sampler' })
      .option('length', { type: 'number', describe: 'sample length (default the data block length)' })
      .option('sampler', { type: 'string', array: true, describe: 'only these samplers (default all of the family)' })
      .option('block-length', {
        type: 'number',
        describe:
          'LLaDA generation rows (plain vs Fast-dLLM prefix/dual cache, ± threshold): block length (default 32); ' +
          'their steps are --steps clipped to --length',
      })
      .option('threshold', { type: 'number', describe: 'LLaDA generation rows: τ of the threshold rows (default 0.9)' })
      .option('json', { type: 'boolean', describe: 'print JSON instead of a table' }) as never,
  handler: async (argv) => {
    const { withBackend } = await import('../backend-options.ts');
    const { benchSamplers, formatSamplerBench } = await import('@dlm/runner');
    await withBackend(argv, async (info) => {
      const rows = await benchSamplers({
        runDir: argv.run,
        steps: argv.steps ?? 1000,
        num: argv.num ?? 4,
        ...(argv.length ? { length: argv.length } : {}),
        ...(argv.sampler ? { samplers: argv.sampler } : {}),
        ...(argv['block-length'] ? { blockLength: argv['block-length'] } : {}),
        ...(argv.threshold !== undefined ? { threshold: argv.threshold } : {}),
      });
      process.stdout.write(
        argv.json
          ? `${JSON.stringify({ backend: info.name, threads: info.threads, rows }, null, 2)}\n`
          : `backend ${info.name}, threads ${info.threads}\n${formatSamplerBench(rows)}\n`,
      );
    });
  },
};

export const benchCommand: CommandModule = {
  command: 'bench',
  describe: 'Benchmarks (suites: kernels, samplers)',
  builder: (y) =>
    y
      .command(kernels as never)
      .command(samplers as never)
      .demandCommand(1, 'Name a benchmark suite.'),
  handler: () => {},
};
