// `dlm data prepare <dataset>`: tokenize a corpus into Arrow token shards + manifest (cached).
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

export const dataCommand: CommandModule = {
  command: 'data',
  describe: 'Datasets: prepare token shards',
  builder: (y) => y.command(prepareCmd as never).demandCommand(1, 'Name a data command (prepare).'),
  handler: () => {},
};
