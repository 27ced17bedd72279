// `dlm eval likelihood <model>`: the model's likelihood (AR exact NLL, MDLM/SEDD NELBO, LLaDA Monte-Carlo bound) on
// any registered dataset or local .txt/.jsonl files, tokenized with the model's own tokenizer: zero-shot tables.
import type { CommandModule } from 'yargs';
import type { BackendFlags } from '../../backend-options.ts';
import {
  evalOutOptions,
  modelPositional,
  runWeightOptions,
  runWeights,
  type EvalOutArgs,
  type RunWeightArgs,
} from '../../command-options.ts';

interface LikelihoodArgs extends BackendFlags, RunWeightArgs, EvalOutArgs {
  model: string;
  data?: string;
  split?: string;
  batches?: number;
  'time-samples'?: number;
  'batch-size'?: number;
  length?: number;
  seed?: number;
}

export const evalLikelihood: CommandModule<object, LikelihoodArgs> = {
  command: 'likelihood <model>',
  describe:
    "The model's likelihood on a dataset or local files: exact NLL (AR), NELBO (MDLM/SEDD), Monte-Carlo bound (LLaDA), with s.e. and the unigram baseline",
  builder: async (y) =>
    runWeightOptions(
      evalOutOptions(
        (await modelPositional(y))
          .option('data', {
            type: 'string',
            describe:
              "a registered dataset (see `dlm data prepare --help`) or a .txt/.jsonl file or glob (`dir/*.txt`, every document scored); default the run's own dataset, required for a folder",
          })
          .option('split', {
            type: 'string',
            choices: ['test', 'validation', 'train'],
            default: 'test',
            describe: 'split of a dataset (ignored for local files)',
          })
          .option('batches', { type: 'number', describe: 'at most this many batches (default: the whole split)' })
          .option('time-samples', {
            type: 'number',
            describe: 'Monte-Carlo draws per sequence for a bound (default eval.time_samples of a run, 1 for a folder)',
          })
          .option('batch-size', {
            type: 'number',
            describe: 'rows per batch (default loader.eval_batch_size of a run, 8 for a folder)',
          })
          .option('length', {
            type: 'number',
            describe: "block length (default the run's data.length, a folder's maximum length capped at 1024)",
          })
          .option('seed', {
            type: 'number',
            describe: "seed of the time draws (default the run's seed, 0 for a folder)",
          }),
        'likelihood',
        { resumable: false },
      ),
    ) as never,
  handler: async (argv) => {
    const { withBackend } = await import('../../backend-options.ts');
    const { runLikelihood, formatLikelihood } = await import('@dlm/runner');
    await withBackend(argv, async () => {
      const r = await runLikelihood({
        model: argv.model,
        data: argv.data,
        split: argv.split as 'test' | 'validation' | 'train' | undefined,
        batches: argv.batches,
        timeSamples: argv['time-samples'],
        batchSize: argv['batch-size'],
        length: argv.length,
        seed: argv.seed,
        out: argv.out,
        ...runWeights(argv),
      });
      process.stdout.write(argv.json ? `${JSON.stringify(r, null, 2)}\n` : `${formatLikelihood(r)}\n`);
    });
  },
};
