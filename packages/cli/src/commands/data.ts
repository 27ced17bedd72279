// `dlm data prepare <dataset>`: tokenize a corpus into Arrow token shards + manifest (cached).
// `dlm data mc-cloze <dataset>` / `dlm data next-word <dataset>`: offline evaluation tasks from a corpus's held-out
// split (`dlm eval mc` / `dlm eval generate`; cards datasets/moby-dick-cloze.md, datasets/moby-dick-next-word.md).
import type { CommandModule } from 'yargs';

interface PrepareArgs {
  dataset: string;
  tokenizer?: string;
  out?: string;
  'raw-dir'?: string;
  force?: boolean;
}

const prepareCmd: CommandModule<object, PrepareArgs> = {
  command: 'prepare <dataset>',
  describe: 'Tokenize a dataset into Arrow token shards (idempotent; see datasets/)',
  builder: (y) =>
    y
      .positional('dataset', {
        type: 'string',
        describe: 'moby-dick | sotu | brown | text8-moby | text8 | wikitext103 | lm1b | openwebtext',
        demandOption: true,
      })
      .option('tokenizer', {
        type: 'string',
        describe: "name[:key=value,...], e.g. gpt2, char, char-vocab, 'word:minCount=3', 'hf:path=tokenizer.json'",
      })
      .option('out', {
        type: 'string',
        describe:
          'output folder (default <cache>/<dataset>/<tokenizer>; cache: DLM_CACHE_DIR, else data/prepared/ of the project)',
      })
      .option('raw-dir', { type: 'string', describe: 'folder with raw files for datasets that are not bundled' })
      .option('force', { type: 'boolean', describe: 'prepare again even if the manifest matches' }) as never,
  handler: async (argv) => {
    const { dataPrepareCommand } = await import('@dlm/data');
    await dataPrepareCommand({
      dataset: argv.dataset,
      ...(argv.tokenizer !== undefined ? { tokenizer: argv.tokenizer } : {}),
      ...(argv.out !== undefined ? { out: argv.out } : {}),
      ...(argv['raw-dir'] !== undefined ? { rawDir: argv['raw-dir'] } : {}),
      ...(argv.force ? { force: true } : {}),
    });
  },
};

interface WordTaskArgs {
  dataset: string;
  out: string;
  num?: number;
  seed?: number;
  'context-chars'?: number;
  'word-chars'?: number;
  split?: string;
  'raw-dir'?: string;
}

function wordTaskCmd(
  verb: 'mc-cloze' | 'next-word',
  describe: string,
  num: string,
): CommandModule<object, WordTaskArgs> {
  return {
    command: `${verb} <dataset>`,
    describe,
    builder: (y) =>
      y
        .positional('dataset', { type: 'string', describe: 'a registered dataset, e.g. moby-dick', demandOption: true })
        .option('out', { type: 'string', describe: 'the JSONL file to write', demandOption: true })
        .option('num', { type: 'number', describe: `${num} (default 600)` })
        .option('seed', { type: 'number', describe: 'seed of the sites and draws (default 0); same seed → same file' })
        .option('context-chars', {
          type: 'number',
          describe: 'longest context in characters (default 20; it starts at a word and ends before " word")',
        })
        .option('word-chars', { type: 'number', describe: 'longest answer word in letters (default 9)' })
        .option('split', { type: 'string', describe: 'held-out split: test (default) | validation' })
        .option('raw-dir', {
          type: 'string',
          describe: 'folder with raw files for datasets that are not bundled',
        }) as never,
    handler: async (argv) => {
      const data = await import('@dlm/data');
      const run = verb === 'mc-cloze' ? data.dataMcClozeCommand : data.dataNextWordCommand;
      const line = await run({
        dataset: argv.dataset,
        out: argv.out,
        num: argv.num,
        seed: argv.seed,
        contextChars: argv['context-chars'],
        maxWordChars: argv['word-chars'],
        split: argv.split as 'test' | 'validation' | undefined,
        rawDir: argv['raw-dir'],
      });
      process.stdout.write(`${line}\n`);
    },
  };
}

const mcClozeCmd = wordTaskCmd(
  'mc-cloze',
  'Four-way cloze questions {"context", "choices": [" w1", …], "label"} from held-out text (dlm eval mc)',
  'questions',
);
const nextWordCmd = wordTaskCmd(
  'next-word',
  'Next-word rows {"prompt", "answer"} from held-out text, checkable by exact match (dlm eval generate)',
  'rows',
);

export const dataCommand: CommandModule = {
  command: 'data',
  describe: 'Datasets: prepare token shards; build offline evaluation tasks (mc-cloze, next-word)',
  builder: (y) =>
    y
      .command(prepareCmd as never)
      .command(mcClozeCmd as never)
      .command(nextWordCmd as never)
      .demandCommand(1, 'Name a data command (prepare, mc-cloze, next-word).'),
  handler: () => {},
};
