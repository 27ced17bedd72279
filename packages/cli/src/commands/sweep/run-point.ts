// `dlm sweep run-point <sweep-dir> --index i`: what executors call to run one point (local workers; Slurm array
// tasks with --index $SLURM_ARRAY_TASK_ID). Exit 0 when the point is done (or skipped: done already, or held by a
// live process), 1 when it failed (recorded in the point directory), 130/143 when interrupted.
import type { CommandModule } from 'yargs';
import type { BackendFlags } from '../../backend-options.ts';

interface RunPointArgs extends BackendFlags {
  dir: string;
  index: number;
  samples?: boolean;
}

/** A worker of the local executor exits (with a checkpoint, as on SIGTERM) when its parent is gone. */
function watchParent(): void {
  const parent = Number(process.env['DLM_SWEEP_PARENT']);
  if (!(parent > 0)) return;
  const t = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(t);
      process.kill(process.pid, 'SIGTERM');
    }
  }, 1000);
  t.unref();
}

export const sweepRunPoint: CommandModule<object, RunPointArgs> = {
  command: 'run-point <dir>',
  describe: 'Run one point of a sweep directory (what executors call; Slurm: --index $SLURM_ARRAY_TASK_ID)',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', describe: 'sweep directory', demandOption: true })
      .option('index', { type: 'number', demandOption: true, describe: 'point index (0-based)' })
      .option('samples', {
        type: 'boolean',
        default: true,
        describe: 'draw samples at the end of training (--no-samples to skip)',
      }) as never,
  handler: async (argv) => {
    const { withBackend } = await import('../../backend-options.ts');
    const { runPoint } = await import('@dlm/runner');
    const { CommandExit } = await import('../../cli-errors.ts');
    watchParent();
    const outcome = await withBackend(argv, () =>
      runPoint(argv.dir, argv.index, argv.samples === false ? { noSamples: true } : {}),
    );
    process.stdout.write(`point ${argv.index}: ${outcome}\n`);
    if (outcome === 'failed') throw new CommandExit(1, 'point failed');
    if (outcome === 'interrupted') throw new CommandExit(143, 'point interrupted');
  },
};
