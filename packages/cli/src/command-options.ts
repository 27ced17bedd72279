// Option groups that several commands share, written once: the model positional (a run or a checkpoint folder,
// the layouts named from the registry), the weights of a run (--checkpoint, --ema), the output of an eval verb
// (--out, --restart, --json) and the generation knobs (--gen-length … --top-p, the remasking names from LLaDA's
// registry; Fast-dLLM's --cache / --threshold / --factor / --cache-loop, their names from its registries). A
// command adds its own options after them.
import type { Argv } from 'yargs';

export interface RunWeightArgs {
  checkpoint?: string;
  ema?: boolean;
}

export interface EvalOutArgs {
  out?: string;
  restart?: boolean;
  json?: boolean;
}

export interface GenerationKnobArgs {
  'gen-length'?: number;
  steps?: number;
  'block-length'?: number;
  temperature?: number;
  remasking?: string;
  'cfg-scale'?: number;
  'top-k'?: number;
  'top-p'?: number;
  cache?: string;
  threshold?: number;
  factor?: number;
  'cache-loop'?: string;
}

/** `<name>`: a run directory or a checkpoint folder of a registered layout. */
export async function modelPositional<T>(y: Argv<T>, name = 'model'): Promise<Argv<T>> {
  const { checkpointLayouts } = await import('@dlm/models');
  const layouts = checkpointLayouts.names().join(', ');
  return y.positional(name, {
    type: 'string',
    describe: `run directory, or checkpoint folder (layouts: ${layouts})`,
    demandOption: true,
  }) as unknown as Argv<T>;
}

/** --checkpoint / --ema: which weights of a run (a checkpoint folder refuses both by name). */
export function runWeightOptions<T>(y: Argv<T>): Argv<T & RunWeightArgs> {
  return y
    .option('checkpoint', {
      type: 'string',
      describe: 'runs only: a checkpoint step or directory (default the latest good one)',
    })
    .option('ema', {
      type: 'boolean',
      default: true,
      describe: 'runs only: EMA weights (--no-ema for the raw ones)',
    }) as unknown as Argv<T & RunWeightArgs>;
}

/** The OpenModelOptions of the weight flags. */
export function runWeights(a: RunWeightArgs): { checkpoint: string | undefined; noEma: boolean } {
  return { checkpoint: a.checkpoint, noEma: a.ema === false };
}

/** --out (default shown for `verb`, or `o.outDefault`), --json, and --restart for a resumable verb. */
export function evalOutOptions<T>(
  y: Argv<T>,
  verb: string,
  o: { resumable: boolean; outDefault?: string },
): Argv<T & EvalOutArgs> {
  let z = y
    .option('out', {
      type: 'string',
      describe: `output directory (default ${o.outDefault ?? `<run>/evals/${verb}, or evals/<folder name>/${verb} here`})`,
    })
    .option('json', { type: 'boolean', describe: 'print the results object as JSON' });
  if (o.resumable) {
    z = z.option('restart', { type: 'boolean', describe: 'discard the progress of an earlier evaluation in --out' });
  }
  return z as unknown as Argv<T & EvalOutArgs>;
}

/** The generation knobs of `dlm generate` and `dlm eval generate` (each family / layout accepts a subset). */
export async function generationKnobOptions<T>(
  y: Argv<T>,
  genLengthDefault: string,
): Promise<Argv<T & GenerationKnobArgs>> {
  const { llada } = await import('@dlm/samplers');
  const remaskings = llada.remaskings.names().join(' | ');
  const caches = [...llada.cacheModes].map(([n, m]) => `${n} (${m.describe})`).join('; ');
  const loops = [...llada.cacheLoops].map(([n, l]) => `${n} (${l.describe})`).join('; ');
  return y
    .option('gen-length', { type: 'number', describe: `generated tokens (default ${genLengthDefault})` })
    .option('steps', { type: 'number', describe: 'LLaDA: diffusion steps (default gen-length)' })
    .option('block-length', { type: 'number', describe: 'LLaDA: semi-autoregressive block (default gen-length)' })
    .option('temperature', { type: 'number', describe: '0 = greedy / argmax, deterministic (default 0)' })
    .option('remasking', { type: 'string', describe: `LLaDA: ${remaskings} (default low_confidence)` })
    .option('cfg-scale', { type: 'number', describe: 'LLaDA: classifier-free guidance scale (default 0 = off)' })
    .option('top-k', { type: 'number', describe: 'AR: keep the k most likely tokens (default off)' })
    .option('top-p', { type: 'number', describe: 'AR: nucleus mass (default 1 = off)' })
    .option('cache', {
      type: 'string',
      describe: `LLaDA, Fast-dLLM: KV cache, one of ${caches}. Any Fast-dLLM flag selects Fast-dLLM's generation`,
    })
    .option('threshold', {
      type: 'number',
      describe: 'LLaDA, Fast-dLLM: commit every masked position of the block with confidence ≥ τ (at least one a call)',
    })
    .option('factor', {
      type: 'number',
      describe: 'LLaDA, Fast-dLLM f6b35ec3: commit by the factor rule (not with --threshold)',
    })
    .option('cache-loop', {
      type: 'string',
      describe: `LLaDA, Fast-dLLM with --cache prefix|dual: ${loops} (default ${llada.DEFAULT_CACHE_LOOP})`,
    }) as unknown as Argv<T & GenerationKnobArgs>;
}

/** The knob fields of the runner's generate options, from the flags. */
export function generationKnobs(a: GenerationKnobArgs) {
  return {
    genLength: a['gen-length'],
    steps: a.steps,
    blockLength: a['block-length'],
    temperature: a.temperature,
    remasking: a.remasking,
    cfgScale: a['cfg-scale'],
    topK: a['top-k'],
    topP: a['top-p'],
    cache: a.cache,
    threshold: a.threshold,
    factor: a.factor,
    cacheLoop: a['cache-loop'],
  };
}
