// `dlm sample <run | checkpoint folder> [--sampler NAME] [--steps N] [--num K]`: samples, NFE and tokens/s. A
// checkpoint folder (any registered layout) samples with its family; without a tokenizer it prints ids.
// With `--control <classifier run> --control-target <label>`: gradient-based control (diffusion-lm), sampled with
// and without at the same seeds, success judged by the attribute's rule, rates with standard errors (`--json`: the
// report).
import type { CommandModule } from 'yargs';
import type { BackendFlags } from '../backend-options.ts';
import { UsageError } from '../cli-errors.ts';
import { modelPositional, runWeightOptions, type RunWeightArgs } from '../command-options.ts';

interface SampleArgs extends BackendFlags, RunWeightArgs {
  run: string;
  sampler?: string;
  steps?: number;
  num?: number;
  length?: number;
  seed?: number;
  raw?: boolean;
  out?: string;
  control?: string;
  'control-target'?: string;
  'control-weight'?: number;
  'control-steps'?: number;
  'control-step-size'?: number;
  json?: boolean;
}

const CONTROL_FLAGS = ['control-target', 'control-weight', 'control-steps', 'control-step-size'] as const;

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
  describe: "Sample from a trained run (EMA weights) or a checkpoint folder with one of its family's samplers",
  // Async so that the registries (and tfjs with them) load only for `dlm sample`, not for `dlm --help`.
  builder: async (y) => {
    const { families } = await import('@dlm/models');
    const { CONTROL_DEFAULTS: d } = await import('@dlm/runner');
    return runWeightOptions(await modelPositional(y, 'run'))
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
      .option('out', {
        type: 'string',
        describe: 'checkpoint folders only: where the sample files go (default samples/<folder name>/)',
      })
      .option('raw', {
        type: 'boolean',
        describe: 'keep special tokens ([BOS], [EOS], …) in the printed text',
      })
      .option('control', {
        type: 'string',
        describe:
          'gradient-based control (diffusion-lm runs): a control-classifier run (dlm train <classifier.yaml>); samples without and with control at the same seeds and reports the success rates',
      })
      .option('control-target', {
        type: 'string',
        describe: "with --control: the label to steer to (one of its attribute's labels)",
      })
      .option('control-weight', {
        type: 'number',
        describe: `with --control: λ, the weight of −log p(label | x) (default ${d.weight})`,
      })
      .option('control-steps', {
        type: 'number',
        describe: `with --control: K gradient steps per sampling step (default ${d.steps})`,
      })
      .option('control-step-size', {
        type: 'number',
        describe: `with --control: the size of each signed step (default ${d.stepSize})`,
      })
      .option('json', { type: 'boolean', describe: 'with --control: print the report as JSON (no samples)' })
      .check((a) => {
        const given = CONTROL_FLAGS.filter((k) => a[k] !== undefined);
        if (!a.control && (given.length || a.json))
          throw new UsageError(`--${given[0] ?? 'json'} needs --control <classifier-run>.`);
        if (a.control && a['control-target'] === undefined)
          throw new UsageError('--control needs --control-target <label>.');
        return true;
      }) as never;
  },
  handler: async (argv) => {
    const { withBackend } = await import('../backend-options.ts');
    const { runSample } = await import('@dlm/runner');
    if (argv.control !== undefined) return sampleWithControl(argv);
    await withBackend(argv, async () => {
      const r = await runSample(sampleOptions(argv));
      r.texts.forEach((t, i) => process.stdout.write(`=== sample ${i} ===\n${t}\n`));
      process.stdout.write(
        `sampler ${r.sampler}, ${r.stepsLabel}: NFE ${r.nfe}, ${r.seconds.toFixed(2)} s, ${r.tokensPerSec.toFixed(0)} tokens/s → ${r.path}\n`,
      );
    });
  },
};

/** The options `dlm sample` gives runSample, with or without control. */
function sampleOptions(argv: SampleArgs) {
  return {
    runDir: argv.run,
    ...(argv.sampler !== undefined ? { sampler: argv.sampler } : {}),
    ...(argv.steps !== undefined ? { steps: argv.steps } : {}),
    ...(argv.num !== undefined ? { num: argv.num } : {}),
    ...(argv.length !== undefined ? { length: argv.length } : {}),
    ...(argv.seed !== undefined ? { seed: argv.seed } : {}),
    noEma: argv.ema === false,
    ...(argv.checkpoint !== undefined ? { checkpoint: argv.checkpoint } : {}),
    ...(argv.raw ? { raw: true } : {}),
    ...(argv.out !== undefined ? { out: argv.out } : {}),
  };
}

async function sampleWithControl(argv: SampleArgs): Promise<void> {
  const { withBackend } = await import('../backend-options.ts');
  const { runControlSample, formatControlReport, CONTROL_DEFAULTS } = await import('@dlm/runner');
  await withBackend(argv, async () => {
    const r = await runControlSample({
      ...sampleOptions(argv),
      control: {
        classifierRun: argv.control!,
        target: argv['control-target']!,
        weight: argv['control-weight'] ?? CONTROL_DEFAULTS.weight,
        steps: argv['control-steps'] ?? CONTROL_DEFAULTS.steps,
        stepSize: argv['control-step-size'] ?? CONTROL_DEFAULTS.stepSize,
      },
    });
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(r.report, null, 1)}\n`);
      return;
    }
    const show = (title: string, texts: string[]) =>
      texts.slice(0, 8).forEach((t, i) => process.stdout.write(`=== ${title} ${i} ===\n${t}\n`));
    show('without control', r.without.texts);
    show('with control', r.with.texts);
    for (const line of formatControlReport(r.report)) process.stdout.write(`${line}\n`);
  });
}
