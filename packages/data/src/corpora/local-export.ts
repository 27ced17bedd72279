// Datasets too large to bundle (wikitext103, lm1b, openwebtext), read from files a user
// exported from Hugging Face `datasets` into `<rawDir>/<name>/` (commands on each card):
// files named `<split>.parquet`, `<split>-00000-of-00002.parquet`, `<split>.jsonl`, … with a
// `text` column, read in name order. A dataset without a validation split takes it from the
// tail of train, as MDLM does for OpenWebText (`train[-100000:]`).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import type { Document, SplitName } from '../document.ts';
import { DataError } from '../errors.ts';
import { readDocuments } from '../readers/registry.ts';
import type { DatasetEntry, DatasetOptions } from './dataset.ts';

export interface LocalExportSpec {
  name: string;
  description: string;
  source: string;
  licence: string;
  splits: readonly SplitName[];
  /** Take validation from the last N documents of the train files. */
  validationFromTrainTail?: number;
  defaultTokenizer: string;
}

const FORMATS: Record<string, string> = { '.parquet': 'parquet', '.jsonl': 'jsonl', '.arrow': 'arrow' };

export function localExport(spec: LocalExportSpec) {
  return (options: DatasetOptions = {}): DatasetEntry => {
    const dir = resolve(join(options.rawDir ?? 'data/raw', spec.name));
    const filesOf = (split: SplitName): string[] => {
      if (!existsSync(dir))
        throw new DataError(
          {
            op: `dataset ${spec.name}`,
            arg: dir,
            expected: `exported ${spec.splits.join('/')} files with a text column (datasets/${spec.name}.md)`,
          },
          'not found',
        );
      const files = readdirSync(dir)
        .filter(
          (f) =>
            FORMATS[extname(f)] &&
            (f.startsWith(`${split}.`) || f.startsWith(`${split}-`) || f.startsWith(`${split}_`)),
        )
        .sort();
      if (!files.length)
        throw new DataError(
          {
            op: `dataset ${spec.name}`,
            arg: dir,
            expected: `files named ${split}.parquet, ${split}-*.parquet or ${split}.jsonl (datasets/${spec.name}.md)`,
          },
          `has no ${split} files`,
        );
      return files.map((f) => join(dir, f));
    };
    async function* read(files: string[], from = 0, to = Infinity): AsyncIterable<Document> {
      let i = 0;
      for (const f of files) {
        for await (const d of readDocuments({
          format: FORMATS[extname(f)]!,
          path: f,
          options: { [extname(f) === '.jsonl' ? 'field' : 'column']: 'text' },
        })) {
          if (i >= from && i < to) yield d;
          if (++i >= to) return;
        }
      }
    }
    async function count(files: string[]): Promise<number> {
      let n = 0;
      for (const f of files) {
        if (extname(f) === '.parquet') n += Number((await parquetMetadataAsync(await asyncBufferFromFile(f))).num_rows);
        else for await (const _ of read([f])) n++;
      }
      return n;
    }
    return {
      name: spec.name,
      description: spec.description,
      source: spec.source,
      licence: spec.licence,
      splitRule: spec.validationFromTrainTail
        ? `exported splits; validation = the last ${spec.validationFromTrainTail} documents of train, train = the rest`
        : `the exported ${spec.splits.join(' / ')} splits as published`,
      splits: spec.splits,
      defaultTokenizer: spec.defaultTokenizer,
      async fingerprint() {
        const parts = spec.splits
          .flatMap((s) => (spec.validationFromTrainTail && s === 'validation' ? [] : filesOf(s)))
          .map((f) => `${f.slice(dir.length + 1)}:${statSync(f).size}`);
        return `${spec.name} export ${parts.join(',')}`;
      },
      async *documents(split: SplitName) {
        if (!spec.splits.includes(split))
          throw new DataError(
            { op: `dataset ${spec.name}`, arg: split, expected: `one of ${spec.splits.join(', ')}` },
            'is not a split of this dataset',
          );
        const tail = spec.validationFromTrainTail;
        if (tail && (split === 'train' || split === 'validation')) {
          const files = filesOf('train');
          const n = await count(files);
          yield* split === 'train' ? read(files, 0, Math.max(0, n - tail)) : read(files, Math.max(0, n - tail));
        } else yield* read(filesOf(split));
      },
    };
  };
}

export const wikitext103 = localExport({
  name: 'wikitext103',
  description: 'WikiText-103 (raw), one document per line of the published files',
  source: 'Hugging Face datasets: wikitext, wikitext-103-raw-v1 (local export)',
  licence: 'CC BY-SA 3.0',
  splits: ['train', 'validation', 'test'],
  defaultTokenizer: 'gpt2',
});

export const lm1b = localExport({
  name: 'lm1b',
  description: 'One Billion Word benchmark, one sentence per document',
  source: 'Hugging Face datasets: lm1b (local export)',
  licence: 'see the dataset card (research use; derived from WMT11 news)',
  splits: ['train', 'test'],
  defaultTokenizer: 'gpt2',
});

export const openwebtext = localExport({
  name: 'openwebtext',
  description: 'OpenWebText, one web page per document',
  source: 'Hugging Face datasets: openwebtext (local export)',
  licence: 'CC0 for the collection; pages keep their own rights',
  splits: ['train', 'validation'],
  validationFromTrainTail: 100_000,
  defaultTokenizer: 'gpt2',
});
