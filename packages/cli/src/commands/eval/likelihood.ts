// `dlm eval likelihood <model>`: the model's likelihood (AR exact NLL, MDLM/SEDD NELBO, LLaDA Monte-Carlo bound) on
// any registered dataset or local .txt/.jsonl files, tokenized with the model's own tokenizer: zero-shot tables.
import type { CommandModule } from 'yargs';
import type { BackendFlags } from '../../backend-options.ts';

interface LikelihoodArgs extends BackendFlags {
  model: string;
  data?: string;
  split?: string;
  batches?: number;
  'time-samples'?: number;
  'batch-size'?: number;
  length?: number;
  seed?: number;
  out?: string;
  json?: boolean;
  ema?: boolean;
  checkpoint?: string;
}

export const evalLikelihood: CommandModule<object, LikelihoodArgs> = {
  command: 'likelihood <model>',
  describe:
    "The model's likelihood on a dataset or local files: exact NLL (AR), NELBO (MDLM/SEDD), Monte-Carlo bound (LLaDA), with s.e. and the unigram baseline",
  builder: (y) =>
    y
      .positional('model', {
        type: 'string',
        describe: 'a run directory or a checkpoint folder (gpt2, mdlm, sedd, llada layouts)',
        demandOption: true,
      })
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
      .option('seed', { type: 'number', describe: "seed of the time draws (default the run's seed, 0 for a folder)" })
      .option('out', {
        type: 'string',
        describe: 'output directory (default <run>/evals/likelihood, evals/<folder>/likelihood)',
      })
      .option('json', { type: 'boolean', describe: 'print the results object as JSON' })
      .option('ema', { type: 'boolean', default: true, describe: 'runs: EMA weights (--no-ema for the raw ones)' })
      .option('checkpoint', { type: 'string', describe: 'runs: a checkpoint step or directory' }) as never,
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
        noEma: argv.ema === false,
        checkpoint: argv.checkpoint,
      });
      process.stdout.write(argv.json ? `${JSON.stringify(r, null, 2)}\n` : `${formatLikelihood(r)}\n`);
    });
  },
};
