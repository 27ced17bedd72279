// A dataset from your own files: either one reader spec per split, or one spec for everything
// split by the document rule (i % 20: 18 → validation, 19 → test).
import { statSync } from 'node:fs';
import { ConfigError } from '@dlm/core';
import { SPLIT_NAMES, type SplitName } from '../document.ts';
import { readDocuments, type ReaderSpec } from '../readers/registry.ts';
import { canonicalJson } from '../tokenizers/tokenizer.ts';
import type { DatasetEntry } from './dataset.ts';
import { DOCUMENT_SPLIT_RULE, documentSplit } from './splits.ts';

export type FilesSpec = { all: ReaderSpec } | Partial<Record<SplitName, ReaderSpec>>;

export function filesDataset(name: string, spec: FilesSpec): DatasetEntry {
  const perSplit = !('all' in spec);
  const splits = perSplit ? SPLIT_NAMES.filter((s) => (spec as Partial<Record<SplitName, ReaderSpec>>)[s]) : [...SPLIT_NAMES];
  if (!splits.includes('train')) throw new ConfigError({ op: 'filesDataset', arg: name, expected: 'a train reader spec, or `all`' });
  const specs = perSplit ? splits.map((s) => (spec as Record<string, ReaderSpec>)[s]!) : [(spec as { all: ReaderSpec }).all];
  return {
    name,
    description: `files: ${specs.map((s) => s.path).join(', ')}`,
    source: 'local files',
    licence: 'as the files',
    splitRule: perSplit ? `one reader per split (${splits.join(', ')})` : DOCUMENT_SPLIT_RULE,
    splits,
    defaultTokenizer: 'gpt2',
    fingerprint: async () => canonicalJson(specs.map((s) => ({ ...s, size: statSync(s.path).size }))),
    async *documents(split: SplitName) {
      if (perSplit) {
        const s = (spec as Partial<Record<SplitName, ReaderSpec>>)[split];
        if (s) yield* readDocuments(s);
        return;
      }
      let i = 0;
      for await (const d of readDocuments((spec as { all: ReaderSpec }).all)) if (documentSplit(i++) === split) yield d;
    },
  };
}
