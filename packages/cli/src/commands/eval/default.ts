// `dlm eval <run>` (bare): the family's default evaluation: the validation bound as perplexity and bits per
// token with a standard error (its loss terms for Diffusion-LM / DiffuSeq), and for DiffuSeq the decoded held-out
// sources scored by BLEU, ROUGE-L, distinct-n and self-BLEU. Written to --out (default <run>/evals/default).
import type { CommandModule } from 'yargs';
import type { BackendFlags } from '../../backend-options.ts';

interface EvalArgs extends BackendFlags {
  run: string;
  'time-samples'?: number;
  batches?: number;
  ema?: boolean;
  json?: boolean;
  checkpoint?: string;
  limit?: number;
  'mbr-candidates'?: number;
  out?: string;
}

export const evalDefault: CommandModule<object, EvalArgs> = {
  command: '$0 <run>',
  describe:
    "The family's evaluation of a trained run: validation bound (perplexity, bits/token, s.e.) or loss terms; DiffuSeq: BLEU, ROUGE-L, distinct-n, self-BLEU of decoded held-out sources",
  builder: (y) =>
    y
      .positional('run', { type: 'string', describe: 'run directory', demandOption: true })
      .option('time-samples', {
        type: 'number',
        describe: 'Monte-Carlo time samples per sequence (default eval.time_samples)',
      })
      .option('batches', { type: 'number', describe: 'validation batches (default eval.batches)' })
      .option('ema', { type: 'boolean', default: true, describe: 'use EMA weights (--no-ema for the raw weights)' })
      .option('out', {
        type: 'string',
        describe: 'output directory for results.json / results.md (default <run>/evals/default)',
      })
      .option('json', { type: 'boolean', describe: 'print the report as JSON (the content of results.json)' })
      .option('limit', { type: 'number', describe: 'seq2seq (DiffuSeq): decode only the first n held-out sources' })
      .option('mbr-candidates', {
        type: 'number',
        describe: 'seq2seq (DiffuSeq): candidates per source for MBR (default family.mbr_candidates)',
      })
      .option('checkpoint', {
        type: 'string',
        describe: 'a checkpoint step or directory (default: the latest good one)',
      }) as never,
  handler: async (argv) => {
    const { withBackend } = await import('../../backend-options.ts');
    const { runEval, formatEval } = await import('@dlm/runner');
    await withBackend(argv, async () => {
      const r = await runEval({
        runDir: argv.run,
        ...(argv['time-samples'] !== undefined ? { timeSamples: argv['time-samples'] } : {}),
        ...(argv.batches !== undefined ? { batches: argv.batches } : {}),
        noEma: argv.ema === false,
        ...(argv.checkpoint !== undefined ? { checkpoint: argv.checkpoint } : {}),
        ...(argv.limit !== undefined ? { limit: argv.limit } : {}),
        ...(argv['mbr-candidates'] !== undefined ? { mbrCandidates: argv['mbr-candidates'] } : {}),
        ...(argv.out !== undefined ? { out: argv.out } : {}),
      });
      process.stderr.write(`results → ${r.out}\n`);
      process.stdout.write(argv.json ? `${JSON.stringify(r, null, 2)}\n` : `${formatEval(r)}\n`);
    });
  },
};
