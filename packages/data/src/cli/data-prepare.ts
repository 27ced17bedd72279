// `dlm data prepare <dataset> [--tokenizer name[:key=value,...]] [--out dir] [--raw-dir dir] [--force]`
// The CLI command calls `dataPrepareCommand`; it prints one line per finished split and a
// summary line, and returns the result.
import { ConfigError } from '@dlm/core';
import { getDataset } from '../corpora/registry.ts';
import { defaultPreparedDir } from '../pipeline.ts';
import { prepare, type PrepareProgress, type PrepareResult } from '../prepare/prepare.ts';
import type { TokenizerSpec } from '../tokenizers/registry.ts';

export interface DataPrepareArgs {
  dataset: string;
  /** `gpt2`, `char`, `word:minCount=3,lowercase=true`, `hf:path=tokenizer.json`; default: the dataset's. */
  tokenizer?: string;
  out?: string;
  rawDir?: string;
  force?: boolean;
}

/** Parses `name[:key=value,...]`; values are numbers, booleans or strings. */
export function parseTokenizerArg(arg: string): TokenizerSpec {
  const colon = arg.indexOf(':');
  const name = (colon < 0 ? arg : arg.slice(0, colon)).trim();
  if (!name)
    throw new ConfigError({
      op: 'dlm data prepare',
      arg: '--tokenizer',
      expected: 'name[:key=value,...]',
      got: JSON.stringify(arg),
    });
  if (colon < 0) return { name };
  const options: Record<string, unknown> = {};
  for (const part of arg.slice(colon + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0)
      throw new ConfigError({
        op: 'dlm data prepare',
        arg: '--tokenizer',
        expected: 'options as key=value separated by commas',
        got: JSON.stringify(part),
      });
    const v = part.slice(eq + 1).trim();
    options[part.slice(0, eq).trim()] =
      v === 'true' ? true : v === 'false' ? false : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return { name, options };
}

export function formatProgress(p: PrepareProgress): string {
  const n = (x: number) => x.toLocaleString('en-US');
  if (p.split === 'vocabulary')
    return `${p.dataset} vocabulary: ${n(p.documents)} documents, ${n(p.characters)} characters${p.done ? ' (done)' : ''}`;
  return `${p.dataset} ${p.split}: ${n(p.documents)} documents, ${n(p.tokens)} tokens${p.done ? ' (done)' : ''}`;
}

export async function dataPrepareCommand(
  args: DataPrepareArgs,
  print: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<PrepareResult> {
  const entry = getDataset(args.dataset, args.rawDir ? { rawDir: args.rawDir } : {});
  const tokenizer = parseTokenizerArg(args.tokenizer ?? entry.defaultTokenizer);
  const out = args.out ?? defaultPreparedDir(entry.name, tokenizer);
  const result = await prepare(entry, tokenizer, out, {
    force: args.force ?? false,
    progressEvery: 1 << 30, // only the end of each split
    onProgress: (p) => {
      if (p.done) print(formatProgress(p));
    },
  });
  const m = result.manifest;
  const totals = Object.entries(m.splits)
    .map(([s, i]) => `${s} ${i!.tokens.toLocaleString('en-US')}`)
    .join(', ');
  print(
    `${result.reused ? 'up to date' : 'prepared'}: ${m.dataset.name} with ${m.tokenizer.name} (vocab ${m.tokenizer.vocabSize}) → ${result.dir} [tokens: ${totals}]`,
  );
  return result;
}
