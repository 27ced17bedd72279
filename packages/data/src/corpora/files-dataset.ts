// A dataset from your own files: either one reader spec per split, or one spec for everything
// split by the document rule (i % 20: 18 → validation, 19 → test).
//
// The prepare cache key (fingerprint) holds each file's absolute path, format, options, byte
// size and the sha256 of its raw bytes, so any edit of a file (even one that keeps its size)
// rebuilds the shards and the tokenizer. A missing file is a ConfigError naming the config key.
import { createReadStream, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { ConfigError } from '@dlm/core';
import { SPLIT_NAMES, type SplitName } from '../document.ts';
import { DataError } from '../errors.ts';
import { readDocuments, type ReaderSpec } from '../readers/registry.ts';
import { canonicalJson, sha256Hex } from '../tokenizers/tokenizer.ts';
import type { DatasetEntry, InputFile } from './dataset.ts';
import { DOCUMENT_SPLIT_RULE, documentSplit } from './splits.ts';

export type FilesSpec = { all: ReaderSpec } | Partial<Record<SplitName, ReaderSpec>>;

export interface FilesDatasetOptions {
  /** Config key of the spec, for error messages (default `files`; the runner passes `data.files`). */
  key?: string;
}

/** sha256 (hex) of a file's bytes, streamed so a large corpus is never held in memory. */
export async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  } catch (e) {
    throw new DataError({ op: 'hash data file', arg: path, expected: 'a readable file', got: (e as Error).message });
  }
  return h.digest('hex');
}

/**
 * Reads the first document only, so that reader options, a missing column or a malformed first
 * record fail when the data is opened, not after minutes of tokenizing the other splits.
 */
async function probe(docs: AsyncIterable<unknown>): Promise<void> {
  const it = docs[Symbol.asyncIterator]();
  await it.next();
  await it.return?.();
}

export function filesDataset(name: string, spec: FilesSpec, options: FilesDatasetOptions = {}): DatasetEntry {
  const key = options.key ?? 'files';
  const perSplit = !('all' in spec);
  const extra = perSplit ? [] : SPLIT_NAMES.filter((s) => s in spec);
  if (extra.length) {
    // Usually an `extends` chain: mappings merge, so a child's `all` lands beside the parent's splits.
    const ctx = { op: key, arg: `all and ${extra.join(', ')}`, expected: '`all` alone, or per-split readers' };
    throw new ConfigError(ctx, 'cannot be combined');
  }
  const byName = spec as Partial<Record<string, ReaderSpec>>;
  const splits = perSplit ? SPLIT_NAMES.filter((s) => byName[s]) : [...SPLIT_NAMES];
  // Training measures the validation bound, so a run needs both (test is optional).
  const missing = (['train', 'validation'] as const).filter((s) => !splits.includes(s));
  if (missing.length) {
    const expected = 'train and validation readers (test optional), or one under `all`';
    const arg = `(${splits.join(', ') || 'no readers'})`;
    throw new ConfigError({ op: key, arg, expected }, `has no ${missing.join(' or ')} reader`);
  }
  const named: [string, ReaderSpec][] = (perSplit ? splits : ['all']).map((s) => [s, byName[s]!]);
  for (const [s, r] of named) {
    const path = resolve(r.path);
    let isFile: boolean;
    try {
      isFile = statSync(path).isFile();
    } catch (e) {
      const expected = `an existing ${r.format} file`;
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ConfigError({ op: `${key}.${s}.path`, arg: path, expected }, 'does not exist');
      }
      throw new DataError({ op: `${key}.${s}.path`, arg: path, expected, got: (e as Error).message }, 'cannot be read');
    }
    if (!isFile) {
      throw new ConfigError({ op: `${key}.${s}.path`, arg: path, expected: `a ${r.format} file` }, 'is not a file');
    }
  }
  const read = (s: ReaderSpec) => readDocuments({ ...s, path: resolve(s.path) });
  let inputs: Promise<readonly InputFile[]> | undefined;
  const files = () =>
    (inputs ??= Promise.all(
      named.map(async ([split, r]) => {
        await probe(read(r));
        const path = resolve(r.path);
        const sha256 = await fileSha256(path);
        return { split, format: r.format, path, options: r.options ?? {}, bytes: statSync(path).size, sha256 };
      }),
    ));
  return {
    name,
    description: `files: ${named.map(([, r]) => resolve(r.path)).join(', ')}`,
    source: 'local files',
    licence: 'as the files',
    splitRule: perSplit ? `one reader per split (${splits.join(', ')})` : DOCUMENT_SPLIT_RULE,
    splits,
    defaultTokenizer: 'gpt2',
    // Same name, other files → another cache folder (two projects' "corpus" do not evict each other).
    cacheName: `${name}-${sha256Hex(canonicalJson(named.map(([s, r]) => [s, resolve(r.path)]))).slice(0, 8)}`,
    files,
    fingerprint: async () => canonicalJson(await files()),
    async *documents(split: SplitName) {
      if (perSplit) {
        const s = byName[split];
        if (s) yield* read(s);
        return;
      }
      let i = 0;
      for await (const d of read((spec as { all: ReaderSpec }).all)) if (documentSplit(i++) === split) yield d;
    },
  };
}
