// `dlm bench <suite>`: speed lives here, never in timed tests. Each suite prints a table,
// or JSON with --json (for tracking figures across commits and machines).
import type { CommandModule } from 'yargs';
import type { BackendFlags } from '../backend-options.ts';

interface KernelArgs extends BackendFlags {
  json?: boolean;
  steps?: number;
  batch?: number;
  length?: number;
  profile?: boolean;
  compareTorch?: boolean;
  python?: string;
}

const kernels: CommandModule<object, KernelArgs> = {
  command: 'kernels',
  describe: 'matmul GFLOP/s (NN, NT, TN) and DiT forward / training-step tokens/s',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', describe: 'print JSON instead of a table' })
      .option('steps', { type: 'number', default: 5, describe: 'timed DiT steps (after warm-up)' })
      .option('batch', { type: 'number', default: 16, describe: 'DiT batch size' })
      .option('length', { type: 'number', default: 128, describe: 'DiT sequence length' })
      .option('profile', { type: 'boolean', describe: 'print the per-kernel time shares (tf.profile)' })
      .option('compare-torch', {
        type: 'boolean',
        describe: 'also run the PyTorch twin of the network (packages/models/bench/torch-dit-bench.py)',
      })
      .option('python', {
        type: 'string',
        describe: 'the Python with torch (implies --compare-torch; default /usr/bin/python3, then python3 on PATH)',
      }) as never,
  handler: async (argv) => {
    // Loaded on use so `dlm --help` never starts tfjs.
    const { withBackend } = await import('../backend-options.ts');
    const m = await import('@dlm/models');
    await withBackend(argv, async (info) => {
      const steps = argv.steps ?? 5;
      const result = await m.runKernelBench({ steps, batch: argv.batch ?? 16, length: argv.length ?? 128 });
      // After dlm's own steps, never beside them: both would share the cores.
      let torch: import('@dlm/models').TorchComparison | { unavailable: string } | undefined;
      if (argv.compareTorch || argv.python) {
        const found = m.findTorchPython(argv.python ? [argv.python] : m.DEFAULT_PYTHONS);
        if (found.python === undefined) {
          torch = { unavailable: `no Python with torch (${found.tried.join('; ')}); ${m.TORCH_INSTALL_HINT}` };
        } else {
          const { params: _params, ...net } = result.network;
          try {
            const tr = m.runTorchBench(found.python, net, { steps, warmup: 1, seed: 0 });
            torch = m.compareWithTorch(result, result.flops, tr);
          } catch (e) {
            // dlm's figures are printed all the same.
            torch = { unavailable: e instanceof Error ? e.message : String(e) };
          }
        }
      }
      const out = { backend: info.name, threads: info.threads, ...result, ...(torch ? { torch } : {}) };
      process.stdout.write(
        argv.json
          ? `${JSON.stringify(out, null, 2)}\n`
          : `backend ${info.name}, threads ${info.threads}\n` +
              `${m.formatKernelBench(result, { profile: argv.profile ?? false, ...(torch ? { torch } : {}) })}\n`,
      );
      if (argv.json && torch && 'unavailable' in torch)
        process.stderr.write(`dlm bench kernels: ${torch.unavailable}\n`);
    });
  },
};

interface SamplerArgs extends BackendFlags {
  runs: string[];
  steps?: number;
  num?: number;
  length?: number;
  sampler?: string[];
  'block-length'?: number;
  threshold?: number;
  json?: boolean;
}

const samplers: CommandModule<object, SamplerArgs> = {
  command: 'samplers <runs..>',
  describe: "NFE, wall clock and tokens/s of every sampler (and bench variant) of the runs' families, one table",
  builder: (y) =>
    y
      .positional('runs', {
        type: 'string',
        array: true,
        describe: 'run directories (any families)',
        demandOption: true,
      })
      .option('steps', { type: 'number', default: 1000, describe: 'sampling steps' })
      .option('num', { type: 'number', default: 4, describe: 'samples per sampler' })
      .option('length', { type: 'number', describe: "sample length (default each run's data block length)" })
      .option('sampler', {
        type: 'string',
        array: true,
        describe: "only these samplers (default all of each run's family)",
      })
      .option('block-length', {
        type: 'number',
        describe:
          'LLaDA runs, generation rows (plain vs Fast-dLLM prefix/dual cache, ± threshold): block length (default ' +
          '32 when it divides the length, else the length); their steps are --steps clipped to --length',
      })
      .option('threshold', { type: 'number', describe: 'LLaDA generation rows: τ of the threshold rows (default 0.9)' })
      .option('json', { type: 'boolean', describe: 'print JSON instead of a table' }) as never,
  handler: async (argv) => {
    const { withBackend } = await import('../backend-options.ts');
    const { benchSamplers, formatSamplerBench } = await import('@dlm/runner');
    await withBackend(argv, async (info) => {
      const num = argv.num ?? 4;
      const rows = await benchSamplers({
        runDirs: argv.runs,
        steps: argv.steps ?? 1000,
        num,
        ...(argv.length ? { length: argv.length } : {}),
        ...(argv.sampler ? { samplers: argv.sampler } : {}),
        ...(argv['block-length'] ? { blockLength: argv['block-length'] } : {}),
        ...(argv.threshold !== undefined ? { threshold: argv.threshold } : {}),
      });
      process.stdout.write(
        argv.json
          ? `${JSON.stringify({ backend: info.name, threads: info.threads, rows }, null, 2)}\n`
          : `backend ${info.name}, threads ${info.threads}; ${num} samples per row, one seed\n${formatSamplerBench(rows)}\n`,
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
