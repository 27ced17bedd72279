// `dlm generate <run | checkpoint folder> (--prompt T | --prompt-ids 1,2,3 | --prompts file.jsonl) [knobs] [--json]`:
// generation from prompts, printed (text, or `{"ids", "text", "nfe"}` with --json); no file is written.
import type { CommandModule } from 'yargs';
import type { BackendFlags } from '../backend-options.ts';

interface GenerateArgs extends BackendFlags {
  target: string;
  prompt?: string;
  'prompt-ids'?: string;
  prompts?: string;
  'gen-length'?: number;
  steps?: number;
  'block-length'?: number;
  temperature?: number;
  remasking?: string;
  'cfg-scale'?: number;
  'top-k'?: number;
  'top-p'?: number;
  seed?: number;
  checkpoint?: string;
  ema?: boolean;
  json?: boolean;
  bos?: boolean;
}

export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: 'generate <target>',
  describe: 'Generate from prompts with a trained run or a checkpoint folder (LLaDA: config.json model_type)',
  // Async so that the registries (and tfjs with them) load only for `dlm generate`, not for `dlm --help`.
  builder: async (y) => {
    const { llada } = await import('@dlm/samplers');
    const { checkpointLayouts } = await import('@dlm/models');
    const remaskings = llada.remaskings.names().join(' | ');
    const layouts = checkpointLayouts.names().join(', ');
    return y
      .positional('target', {
        type: 'string',
        describe: `run directory or checkpoint folder (layouts: ${layouts})`,
        demandOption: true,
      })
      .option('prompt', { type: 'string', describe: 'prompt text (needs a tokenizer)' })
      .option('prompt-ids', { type: 'string', describe: 'prompt token ids, comma-separated' })
      .option('prompts', { type: 'string', describe: 'JSONL file of {"prompt": "text"} or {"prompt_ids": [...]} rows' })
      .option('gen-length', { type: 'number', describe: 'generated tokens (default 128)' })
      .option('steps', { type: 'number', describe: 'diffusion steps (default gen-length)' })
      .option('block-length', { type: 'number', describe: 'semi-autoregressive block (default gen-length)' })
      .option('temperature', { type: 'number', describe: '0 = argmax, deterministic (default 0)' })
      .option('remasking', { type: 'string', describe: `${remaskings} (default low_confidence)` })
      .option('cfg-scale', { type: 'number', describe: 'classifier-free guidance scale (default 0 = off)' })
      .option('top-k', { type: 'number', describe: 'autoregressive: keep the k most likely tokens (default off)' })
      .option('top-p', { type: 'number', describe: 'autoregressive: nucleus mass (default 1 = off)' })
      .option('seed', { type: 'number', describe: 'sampling seed (default 0; a run: its seed)' })
      .option('checkpoint', {
        type: 'string',
        describe: 'a run: checkpoint step or directory (default the latest good one)',
      })
      .option('ema', { type: 'boolean', describe: 'a run: use EMA weights (--no-ema for the raw weights)' })
      .option('bos', {
        type: 'boolean',
        describe:
          'put the BOS id before each prompt (default: a run yes, as its training rows start with BOS; a folder no)',
      })
      .option('json', { type: 'boolean', describe: 'print {"ids": [[...]], "text": [...], "nfe": n}' }) as never;
  },
  handler: async (argv) => {
    const { withBackend } = await import('../backend-options.ts');
    const { runGenerate } = await import('@dlm/runner');
    await withBackend(argv, async () => {
      const r = await runGenerate({
        target: argv.target,
        prompt: argv.prompt,
        promptIds: argv['prompt-ids'],
        promptsFile: argv.prompts,
        bos: argv.bos,
        genLength: argv['gen-length'],
        steps: argv.steps,
        blockLength: argv['block-length'],
        temperature: argv.temperature,
        remasking: argv.remasking,
        cfgScale: argv['cfg-scale'],
        topK: argv['top-k'],
        topP: argv['top-p'],
        seed: argv.seed,
        checkpoint: argv.checkpoint,
        noEma: argv.ema === false,
      });
      if (argv.json) {
        process.stdout.write(`${JSON.stringify({ ids: r.ids, text: r.text, nfe: r.nfe })}\n`);
        return;
      }
      if (r.text.length === 1) process.stdout.write(`${r.text[0]}\n`);
      else r.text.forEach((t, i) => process.stdout.write(`=== generation ${i} ===\n${t}\n`));
      process.stderr.write(`${r.source}: NFE ${r.nfe}, ${r.seconds.toFixed(2)} s\n`);
    });
  },
};
