// `dlm train <experiment.yaml> [--set a.b=c ...]` and `dlm train --resume <run-dir>`.
import type { CommandModule } from 'yargs';
import type { BackendFlags } from '../backend-options.ts';

interface TrainArgs extends BackendFlags {
  experiment?: string;
  set?: string[];
  resume?: string;
  'run-dir'?: string;
  samples?: boolean;
}

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train [experiment]',
  describe: 'Train from an experiment YAML (or --resume a run): progress, checkpoints, samples, plot',
  builder: (y) =>
    y
      .positional('experiment', { type: 'string', describe: 'experiment YAML, e.g. experiments/quickstart/quickstart.yaml' })
      .option('set', { type: 'string', array: true, describe: 'override a config value: --set trainer.max_steps=200 (type-checked)' })
      .option('resume', { type: 'string', describe: 'continue the run in this directory from its latest checkpoint' })
      .option('run-dir', { type: 'string', describe: 'directory for a new run (default <runs_dir>/<name>-<time>)' })
      .option('samples', { type: 'boolean', default: true, describe: 'draw samples at the end (--no-samples to skip)' })
      .check((a) => {
        if (!a.experiment && !a.resume) throw new Error('Give an experiment YAML or --resume <run-dir>.');
        if (a.experiment && a.resume) throw new Error('Give either an experiment YAML or --resume, not both.');
        if (a.resume && a.set?.length) throw new Error('--set cannot change a resumed run (its resolved.yaml is fixed).');
        return true;
      }) as never,
  handler: async (argv) => {
    const { withBackend } = await import('../backend-options.ts');
    const { runTrain } = await import('@dlm/runner');
    await withBackend(argv, async () => {
      const r = await runTrain({
        ...(argv.experiment ? { file: argv.experiment } : {}),
        ...(argv.resume ? { resume: argv.resume } : {}),
        ...(argv['run-dir'] ? { runDir: argv['run-dir'] } : {}),
        sets: argv.set ?? [],
        argv: process.argv.slice(1),
        noSamples: argv.samples === false,
      });
      process.stdout.write(`run directory: ${r.runDir}\n`);
    });
  },
};
