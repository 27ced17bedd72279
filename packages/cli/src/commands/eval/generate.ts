// `dlm eval generate <model> --task rows.jsonl`: conditional-generation evaluation (generate, extract the answer
// by a rule, exact match), beside `dlm eval mc` (likelihood-scored multiple choice). Results go to --out.
import type { CommandModule } from 'yargs';
import type { BackendFlags } from '../../backend-options.ts';

interface EvalGenerateArgs extends BackendFlags {
  model: string;
  task: string;
  fewshot?: string;
  shots?: number;
  limit?: number;
  'gen-length'?: number;
  steps?: number;
  'block-length'?: number;
  temperature?: number;
  remasking?: string;
  'cfg-scale'?: number;
  'top-k'?: number;
  'top-p'?: number;
  extract?: string;
  regex?: string;
  'target-delimiter'?: string;
  'fewshot-delimiter'?: string;
  batch?: number;
  bos?: boolean;
  seed?: number;
  out?: string;
  restart?: boolean;
  checkpoint?: string;
  ema?: boolean;
  json?: boolean;
}

export const evalGenerate: CommandModule<object, EvalGenerateArgs> = {
  command: 'generate <model>',
  describe:
    'Conditional generation scored by exact match: each {"prompt", "answer"} row is generated from with the ' +
    "family's sampler, the answer extracted by a rule; accuracy ± s.e., NFE, tokens/s (the other way, " +
    'likelihood-scored multiple choice, is `dlm eval mc`)',
  builder: async (y) => {
    const { answerRules } = await import('@dlm/eval');
    const { llada } = await import('@dlm/samplers');
    const rules = answerRules
      .names()
      .map((n) => `${n}: ${answerRules.get(n).describe}`)
      .join('; ');
    return y
      .positional('model', { type: 'string', describe: 'run directory or checkpoint folder', demandOption: true })
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
      .option('gen-length', {
        type: 'number',
        describe: "generated tokens (default min(128, the model's maximum length − the longest prompt))",
      })
      .option('steps', { type: 'number', describe: 'LLaDA: diffusion steps (default gen-length)' })
      .option('block-length', { type: 'number', describe: 'LLaDA: semi-autoregressive block (default gen-length)' })
      .option('temperature', { type: 'number', describe: '0 = greedy / argmax (default 0)' })
      .option('remasking', {
        type: 'string',
        describe: `LLaDA: ${llada.remaskings.names().join(' | ')} (default low_confidence)`,
      })
      .option('cfg-scale', { type: 'number', describe: 'LLaDA: classifier-free guidance scale (default 0 = off)' })
      .option('top-k', { type: 'number', describe: 'AR: keep the k most likely tokens (default off)' })
      .option('top-p', { type: 'number', describe: 'AR: nucleus mass (default 1 = off)' })
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
      .option('seed', { type: 'number', describe: 'sampling seed (default: a run: its seed; a folder: 0)' })
      .option('out', {
        type: 'string',
        describe: 'output directory (default <run>/evals/generate, or evals/<folder>/generate)',
      })
      .option('restart', { type: 'boolean', describe: 'discard the progress of an earlier evaluation in --out' })
      .option('checkpoint', {
        type: 'string',
        describe: 'a run: checkpoint step or directory (default the latest good one)',
      })
      .option('ema', { type: 'boolean', describe: 'a run: use EMA weights (--no-ema for the raw weights)' })
      .option('json', { type: 'boolean', describe: 'print the results object as JSON' }) as never;
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
        genLength: argv['gen-length'],
        steps: argv.steps,
        blockLength: argv['block-length'],
        temperature: argv.temperature,
        remasking: argv.remasking,
        cfgScale: argv['cfg-scale'],
        topK: argv['top-k'],
        topP: argv['top-p'],
        extract: argv.extract,
        regex: argv.regex,
        targetDelimiter: argv['target-delimiter'],
        fewshotDelimiter: argv['fewshot-delimiter'],
        batch: argv.batch,
        bos: argv.bos,
        seed: argv.seed,
        out: argv.out,
        restart: argv.restart,
        checkpoint: argv.checkpoint,
        noEma: argv.ema === false,
      });
      process.stdout.write(
        argv.json ? `${JSON.stringify(r, null, 2)}\n` : `${formatEvalGenerate(r)}results: ${r.out}\n`,
      );
    });
  },
};
