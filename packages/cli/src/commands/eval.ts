// `dlm eval <run>`: validation NELBO as perplexity and bits per token with a standard error.
import type { CommandModule } from 'yargs';
import type { BackendFlags } from '../backend-options.ts';

interface EvalArgs extends BackendFlags {
  run: string;
  'time-samples'?: number;
  batches?: number;
  ema?: boolean;
  json?: boolean;
  checkpoint?: string;
}

export const evalCommand: CommandModule<object, EvalArgs> = {
  command: 'eval <run>',
  describe: 'Validation likelihood bound (perplexity, bits/token, standard error) of a trained run',
  builder: (y) =>
    y
      .positional('run', { type: 'string', describe: 'run directory', demandOption: true })
      .option('time-samples', {
        type: 'number',
        describe: 'Monte-Carlo time samples per sequence (default eval.time_samples)',
      })
      .option('batches', { type: 'number', describe: 'validation batches (default eval.batches)' })
      .option('ema', { type: 'boolean', default: true, describe: 'use EMA weights (--no-ema for the raw weights)' })
      .option('json', { type: 'boolean', describe: 'print JSON' })
      .option('checkpoint', {
        type: 'string',
        describe: 'a checkpoint step or directory (default: the latest good one)',
      }) as never,
  handler: async (argv) => {
    const { withBackend } = await import('../backend-options.ts');
    const { runEval, formatEval } = await import('@dlm/runner');
    await withBackend(argv, async () => {
      const r = await runEval({
        runDir: argv.run,
        ...(argv['time-samples'] !== undefined ? { timeSamples: argv['time-samples'] } : {}),
        ...(argv.batches !== undefined ? { batches: argv.batches } : {}),
        noEma: argv.ema === false,
        ...(argv.checkpoint !== undefined ? { checkpoint: argv.checkpoint } : {}),
      });
      process.stdout.write(argv.json ? `${JSON.stringify(r, null, 2)}\n` : `${formatEval(r)}\n`);
    });
  },
};
