// `dlm eval gen-ppl <model> --evaluator <model>`: generative perplexity of unconditional samples under an exact
// evaluator (an AR run or a gpt2-layout folder), with unigram entropy, distinct-n, self-BLEU, NFE and speed.
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

interface GenPplArgs extends BackendFlags, RunWeightArgs, EvalOutArgs {
  model: string;
  evaluator: string;
  num?: number;
  steps?: number;
  sampler?: string;
  length?: number;
  batch?: number;
  seed?: number;
}

export const evalGenPpl: CommandModule<object, GenPplArgs> = {
  command: 'gen-ppl <model>',
  describe:
    "Generative perplexity of the model's unconditional samples under an evaluator (retokenized), with unigram entropy, distinct-n, self-BLEU, NFE, tokens/s. Categoricals are drawn in float64 (float32 Gumbel sampling lowers the effective temperature; there is no float32 path)",
  builder: async (y) =>
    runWeightOptions(
      evalOutOptions(
        (await modelPositional(y))
          .option('evaluator', {
            type: 'string',
            demandOption: true,
            describe: "an AR run or a gpt2-layout folder (exact likelihood, a tokenizer): scores the samples' text",
          })
          .option('num', { type: 'number', describe: 'samples (default 16)' })
          .option('steps', {
            type: 'number',
            describe: "sampler steps (default the run's sampling.steps, 128 for a folder)",
          })
          .option('sampler', {
            type: 'string',
            describe: "a sampler of the model's family (default the run's sampling.predictor / the family's default)",
          })
          .option('length', {
            type: 'number',
            describe: "tokens per sample (default the run's sampling length, a folder's maximum length capped at 1024)",
          })
          .option('batch', {
            type: 'number',
            describe: 'samples per sampling batch and evaluator windows per batch (default num)',
          })
          .option('seed', { type: 'number', describe: "default the run's seed, 0 for a folder" }),
        'gen-ppl',
        { resumable: false },
      ),
    ) as never,
  handler: async (argv) => {
    const { withBackend } = await import('../../backend-options.ts');
    const { runGenPpl, formatGenPpl } = await import('@dlm/runner');
    await withBackend(argv, async () => {
      const r = await runGenPpl({
        model: argv.model,
        evaluator: argv.evaluator,
        num: argv.num,
        steps: argv.steps,
        sampler: argv.sampler,
        length: argv.length,
        batch: argv.batch,
        seed: argv.seed,
        out: argv.out,
        ...runWeights(argv),
      });
      process.stdout.write(argv.json ? `${JSON.stringify(r, null, 2)}\n` : `${formatGenPpl(r)}\n`);
    });
  },
};
