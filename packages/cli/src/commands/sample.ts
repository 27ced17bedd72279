// `dlm sample <run> [--sampler NAME] [--steps N] [--num K]`: samples, NFE and tokens/s.
import type { CommandModule } from 'yargs';
import type { BackendFlags } from '../backend-options.ts';

interface SampleArgs extends BackendFlags {
  run: string;
  sampler?: string;
  steps?: number;
  num?: number;
  length?: number;
  seed?: number;
  ema?: boolean;
  checkpoint?: string;
  raw?: boolean;
}

/** "mdlm: ddpm | ddpm_cache | analytic (default ddpm_cache); sedd: …", from the families' sampler registries. */
export function samplerHelp(
  families: Iterable<[string, { samplers: { names(): string[] }; defaultSampler: string }]>,
): string {
  return [...families]
    .map(([name, f]) => `${name}: ${f.samplers.names().join(' | ')} (default ${f.defaultSampler})`)
    .join('; ');
}

export const sampleCommand: CommandModule<object, SampleArgs> = {
  command: 'sample <run>',
  describe: "Sample from a trained run (EMA weights) with one of its family's samplers",
  // Async so that the registries (and tfjs with them) load only for `dlm sample`, not for `dlm --help`.
  builder: async (y) => {
    const { families } = await import('@dlm/models');
    return y
      .positional('run', { type: 'string', describe: 'run directory', demandOption: true })
      .option('sampler', {
        type: 'string',
        describe: `a sampler of the run's family (default sampling.predictor): ${samplerHelp(families)}`,
      })
      .option('steps', { type: 'number', describe: 'sampling steps (default sampling.steps)' })
      .option('num', { type: 'number', describe: 'number of samples (default sampling.num_samples)' })
      .option('length', {
        type: 'number',
        describe: 'sample length (default the block length; longer than model.length uses semi-AR strides)',
      })
      .option('seed', { type: 'number', describe: 'sampling seed (default the run seed)' })
      .option('ema', { type: 'boolean', default: true, describe: 'use EMA weights (--no-ema for the raw weights)' })
      .option('checkpoint', {
        type: 'string',
        describe: 'a checkpoint step or directory (default: the latest good one)',
      })
      .option('raw', {
        type: 'boolean',
        describe: 'keep special tokens ([BOS], [EOS], …) in the printed text',
      }) as never;
  },
  handler: async (argv) => {
    const { withBackend } = await import('../backend-options.ts');
    const { runSample } = await import('@dlm/runner');
    await withBackend(argv, async () => {
      const r = await runSample({
        runDir: argv.run,
        ...(argv.sampler !== undefined ? { sampler: argv.sampler } : {}),
        ...(argv.steps !== undefined ? { steps: argv.steps } : {}),
        ...(argv.num !== undefined ? { num: argv.num } : {}),
        ...(argv.length !== undefined ? { length: argv.length } : {}),
        ...(argv.seed !== undefined ? { seed: argv.seed } : {}),
        noEma: argv.ema === false,
        ...(argv.checkpoint !== undefined ? { checkpoint: argv.checkpoint } : {}),
        ...(argv.raw ? { raw: true } : {}),
      });
      r.texts.forEach((t, i) => process.stdout.write(`=== sample ${i} ===\n${t}\n`));
      process.stdout.write(
        `sampler ${r.sampler}, ${r.steps} steps: NFE ${r.nfe}, ${r.seconds.toFixed(2)} s, ${r.tokensPerSec.toFixed(0)} tokens/s → ${r.path}\n`,
      );
    });
  },
};
