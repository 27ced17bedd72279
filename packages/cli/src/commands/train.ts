// `dlm train <experiment.yaml> [--set a.b=c ...]` and `dlm train --resume <run-dir>`.
import type { CommandModule } from 'yargs';
import { UsageError } from '../cli-errors.ts';
import type { BackendFlags } from '../backend-options.ts';

interface TrainArgs extends BackendFlags {
  experiment?: string;
  set?: string[];
  resume?: string;
  'run-dir'?: string;
  samples?: boolean;
  checkpoint?: string;
  'check-leaks'?: number;
}

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train [experiment]',
  describe: 'Train from an experiment YAML (or --resume a run): progress, checkpoints, samples, plot',
  builder: (y) =>
    y
      .positional('experiment', {
        type: 'string',
        describe:
          'experiment YAML, e.g. experiments/quickstart/quickstart.yaml, or a control classifier (kind: control-classifier)',
      })
      .option('set', {
        type: 'string',
        array: true,
        describe: 'override a config value: --set trainer.max_steps=200 (type-checked)',
      })
      .option('resume', {
        type: 'string',
        describe:
          'continue the run in this directory from its latest good checkpoint; with --set trainer.max_steps=N, extend it',
      })
      .option('checkpoint', {
        type: 'string',
        describe: 'with --resume: continue from this checkpoint (a step or a directory)',
      })
      .option('run-dir', { type: 'string', describe: 'directory for a new run (default <runs_dir>/<name>-<time>)' })
      .option('samples', { type: 'boolean', default: true, describe: 'draw samples at the end (--no-samples to skip)' })
      .option('check-leaks', {
        type: 'number',
        describe: 'print the live tensor count every K steps and whether it grew (tensor leaks)',
      })
      .check((a) => {
        if (!a.experiment && !a.resume) throw new UsageError('Give an experiment YAML or --resume <run-dir>.');
        if (a.experiment && a.resume) throw new UsageError('Give either an experiment YAML or --resume, not both.');
        if (a.checkpoint && !a.resume) throw new UsageError('--checkpoint needs --resume <run-dir>.');
        return true;
      }) as never,
  handler: async (argv) => {
    const { withBackend } = await import('../backend-options.ts');
    const { trainExperiment, SIGNAL_EXIT_CODE } = await import('@dlm/runner');
    const { CommandExit } = await import('../cli-errors.ts');
    await withBackend(argv, async () => {
      const r = await trainExperiment({
        ...(argv.experiment ? { file: argv.experiment } : {}),
        ...(argv.resume ? { resume: argv.resume } : {}),
        ...(argv['run-dir'] ? { runDir: argv['run-dir'] } : {}),
        ...(argv.checkpoint ? { checkpoint: argv.checkpoint } : {}),
        sets: argv.set ?? [],
        argv: process.argv.slice(1),
        noSamples: argv.samples === false,
        ...(argv['check-leaks'] !== undefined ? { checkLeaks: argv['check-leaks'] } : {}),
      });
      process.stdout.write(`run directory: ${r.runDir}\n`);
      if (r.interrupted) throw new CommandExit(SIGNAL_EXIT_CODE[r.interrupted], `interrupted by ${r.interrupted}`);
    });
  },
};
