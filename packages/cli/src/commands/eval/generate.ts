// `dlm eval generate <model> --task rows.jsonl`: conditional-generation evaluation (generate, extract the answer
// by a rule, exact match), beside `dlm eval mc` (likelihood-scored multiple choice). Results go to --out.
import type { CommandModule } from 'yargs';
import type { BackendFlags } from '../../backend-options.ts';
import {
  evalOutOptions,
  generationKnobOptions,
  generationKnobs,
  modelPositional,
  runWeightOptions,
  runWeights,
  type EvalOutArgs,
  type GenerationKnobArgs,
  type RunWeightArgs,
} from '../../command-options.ts';

interface EvalGenerateArgs extends BackendFlags, GenerationKnobArgs, RunWeightArgs, EvalOutArgs {
  model: string;
  task: string;
  fewshot?: string;
  shots?: number;
  limit?: number;
  extract?: string;
  regex?: string;
  'target-delimiter'?: string;
  'fewshot-delimiter'?: string;
  batch?: number;
  bos?: boolean;
  seed?: number;
}

export const evalGenerate: CommandModule<object, EvalGenerateArgs> = {
  command: 'generate <model>',
  describe:
    'Conditional generation scored by exact match: each {"prompt", "answer"} row is generated from with the ' +
    "family's sampler, the answer extracted by a rule; accuracy ± s.e., NFE, tokens/s (the other way, " +
    'likelihood-scored multiple choice, is `dlm eval mc`)',
  builder: async (y) => {
    const { answerRules } = await import('@dlm/eval');
    const rules = answerRules
      .names()
      .map((n) => `${n}: ${answerRules.get(n).describe}`)
      .join('; ');
    const z = await generationKnobOptions(
      await modelPositional(y),
      "min(128, the model's maximum length − the longest prompt)",
    );
    const w = z
      .option('task', {
        type: 'string',
        demandOption: true,
        describe: 'JSONL of {"prompt", "answer"} rows; rows with "split": "dev" are few-shot examples, not scored',
      })
      .option('fewshot', {
        type: 'string',
        describe: 'JSONL of few-shot {"prompt", "answer"} rows (default: the dev rows)',
      })
      .option('shots', { type: 'number', describe: 'few-shot examples before each prompt: the first k (default 0)' })
      .option('limit', { type: 'number', describe: 'score only the first n rows' })
      .option('extract', { type: 'string', describe: `answer extraction rule (default first-line): ${rules}` })
      .option('regex', { type: 'string', describe: 'with --extract regex: a pattern with one capture group' })
      .option('target-delimiter', {
        type: 'string',
        describe: 'between a few-shot prompt and its answer (default " ")',
      })
      .option('fewshot-delimiter', { type: 'string', describe: 'after each few-shot example (default "\\n\\n")' })
      .option('bos', {
        type: 'boolean',
        describe: 'start prompts with BOS (default: yes for a run, trained on blocks after BOS; no for a folder)',
      })
      .option('batch', { type: 'number', describe: 'rows generated together, left-padded (default 1)' })
      .option('seed', { type: 'number', describe: 'sampling seed (default: a run: its seed; a folder: 0)' });
    return runWeightOptions(evalOutOptions(w, 'generate', { resumable: true })) as never;
  },
  handler: async (argv) => {
    const { withBackend } = await import('../../backend-options.ts');
    const { runEvalGenerate, formatEvalGenerate } = await import('@dlm/runner');
    await withBackend(argv, async () => {
      const r = await runEvalGenerate({
        model: argv.model,
        task: argv.task,
        fewshot: argv.fewshot,
        shots: argv.shots,
        limit: argv.limit,
        ...generationKnobs(argv),
        extract: argv.extract,
        regex: argv.regex,
        targetDelimiter: argv['target-delimiter'],
        fewshotDelimiter: argv['fewshot-delimiter'],
        batch: argv.batch,
        bos: argv.bos,
        seed: argv.seed,
        out: argv.out,
        restart: argv.restart,
        ...runWeights(argv),
      });
      process.stdout.write(
        argv.json ? `${JSON.stringify(r, null, 2)}\n` : `${formatEvalGenerate(r)}results: ${r.out}\n`,
      );
    });
  },
};
