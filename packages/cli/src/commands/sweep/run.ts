// `dlm sweep run <file> [--out DIR] [--executor local|slurm] [--parallel N]`.
import type { CommandModule } from 'yargs';
import { UsageError } from '../../cli-errors.ts';

import type { BackendFlags } from '../../backend-options.ts';

interface RunArgs extends BackendFlags {
  file: string;
  out?: string;
  executor: string;
  parallel: number;
}

export const sweepRun: CommandModule<object, RunArgs> = {
  command: 'run <file>',
  describe: 'Run a sweep: every point validated first, then the pending ones (finished points are skipped)',
  builder: (y) =>
    y
      .positional('file', { type: 'string', describe: 'sweep YAML', demandOption: true })
      .option('out', {
        type: 'string',
        describe: 'sweep directory to make or continue (default sweeps/<name>-<time>)',
      })
      .option('executor', { type: 'string', default: 'local', describe: 'where points run: local or slurm' })
      .option('parallel', { type: 'number', default: 1, describe: 'points at once (local: worker processes)' })
      .check((a) => {
        if (!Number.isInteger(a.parallel) || a.parallel < 1)
          throw new UsageError('--parallel must be an integer >= 1.');
        return true;
      }) as never,
  handler: async (argv) => {
    const { runSweep } = await import('@dlm/runner');
    const { stderrLog } = await import('@dlm/core');
    const { withBackend } = await import('../../backend-options.ts');
    const dir = await runSweep(argv.file, {
      withBackend: (f) => withBackend(argv, f),
      ...(argv.out !== undefined ? { out: argv.out } : {}),
      executor: argv.executor,
      parallel: argv.parallel,
      log: stderrLog,
    });
    process.stdout.write(`sweep directory: ${dir}\n`);
  },
};
