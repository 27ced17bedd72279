// `dlm eval mc <model> --task <folder|file>`: multiple-choice accuracy (acc, acc_norm, per subject, micro and macro
// with standard errors) of a run or a checkpoint folder, as lm-evaluation-harness scores MMLU; resumable.
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

interface McArgs extends BackendFlags, RunWeightArgs, EvalOutArgs {
  model: string;
  task: string;
  split?: 'test' | 'val';
  shots?: number;
  limit?: number;
  'mc-num'?: number;
  batch?: number;
  'cfg-scale'?: number;
  seed?: number;
  template?: string;
}

export const evalMc: CommandModule<object, McArgs> = {
  command: 'mc <model>',
  describe:
    'Multiple-choice accuracy (MMLU CSV folder, cais/mmlu Parquet/JSONL, or {"context","choices","label"} JSONL): AR exact log-likelihood, LLaDA / MDLM / SEDD Monte-Carlo bounds',
  builder: async (y) => {
    const { mcTemplates } = await import('@dlm/eval');
    const templates = mcTemplates.names().join(', ');
    const z = (await modelPositional(y))
      .option('task', {
        type: 'string',
        demandOption: true,
        describe: 'MMLU CSV folder, or a .csv / .parquet / .jsonl file',
      })
      .option('split', { choices: ['test', 'val'] as const, describe: 'MMLU split to score (default test)' })
      .option('shots', { type: 'number', describe: 'few-shot examples from dev, in file order (default 0)' })
      .option('limit', { type: 'number', describe: 'the first n questions of each subject' })
      .option('mc-num', { type: 'number', describe: 'Monte-Carlo draws per choice (bound estimators; default 128)' })
      .option('batch', { type: 'number', describe: 'rows per forward pass (draws, or AR requests; default 32 / 1)' })
      .option('cfg-scale', { type: 'number', describe: 'LLaDA classifier-free guidance scale (default 0)' })
      .option('seed', { type: 'number', describe: "seed of the draws (default: the run's seed, 0 for a folder)" })
      .option('template', {
        type: 'string',
        describe: `prompt template: ${templates} (default: mmlu for MMLU tasks, continuation for JSONL rows)`,
      });
    const outDefault = '<run>/evals/mc/<task>-<split>-<k>shot, or evals/<folder>/mc/… here';
    return runWeightOptions(evalOutOptions(z, 'mc', { resumable: true, outDefault })) as never;
  },
  handler: async (argv) => {
    const { withBackend } = await import('../../backend-options.ts');
    const { runEvalMc, formatEvalMc } = await import('@dlm/runner');
    await withBackend(argv, async () => {
      const r = await runEvalMc({
        model: argv.model,
        task: argv.task,
        split: argv.split,
        shots: argv.shots,
        limit: argv.limit,
        mcNum: argv['mc-num'],
        batch: argv.batch,
        cfgScale: argv['cfg-scale'],
        seed: argv.seed,
        template: argv.template,
        out: argv.out,
        restart: argv.restart,
        ...runWeights(argv),
      });
      process.stdout.write(argv.json ? `${JSON.stringify(r, null, 2)}\n` : formatEvalMc(r));
    });
  },
};
