// `dlm generate <run | checkpoint folder> (--prompt T | --prompt-ids 1,2,3 | --prompts file.jsonl) [knobs] [--json]`:
// generation from prompts, printed (text, or `{"ids", "text", "nfe"}` with --json); no file is written.
import type { CommandModule } from 'yargs';
import type { BackendFlags } from '../backend-options.ts';
import {
  generationKnobOptions,
  generationKnobs,
  modelPositional,
  runWeightOptions,
  runWeights,
  type GenerationKnobArgs,
  type RunWeightArgs,
} from '../command-options.ts';

interface GenerateArgs extends BackendFlags, GenerationKnobArgs, RunWeightArgs {
  target: string;
  prompt?: string;
  'prompt-ids'?: string;
  prompts?: string;
  seed?: number;
  json?: boolean;
  bos?: boolean;
}

export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: 'generate <target>',
  describe: 'Generate from prompts with a trained run or a checkpoint folder (its layout from config.json)',
  // Async so that the registries (and tfjs with them) load only for `dlm generate`, not for `dlm --help`.
  builder: async (y) => {
    const z = await generationKnobOptions(await modelPositional(y, 'target'), '128');
    return runWeightOptions(
      z
        .option('prompt', { type: 'string', describe: 'prompt text (needs a tokenizer)' })
        .option('prompt-ids', { type: 'string', describe: 'prompt token ids, comma-separated' })
        .option('prompts', {
          type: 'string',
          describe: 'JSONL file of {"prompt": "text"} or {"prompt_ids": [...]} rows',
        })
        .option('seed', { type: 'number', describe: 'sampling seed (default 0; a run: its seed)' })
        .option('bos', {
          type: 'boolean',
          describe:
            'put the BOS id before each prompt (default: a run yes, as its training rows start with BOS; a folder no)',
        })
        .option('json', { type: 'boolean', describe: 'print {"ids": [[...]], "text": [...], "nfe": n}' }),
    ) as never;
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
        ...generationKnobs(argv),
        seed: argv.seed,
        ...runWeights(argv),
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
