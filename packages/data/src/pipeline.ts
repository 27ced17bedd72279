// The one call a runner makes: dataset + tokenizer spec + packing → a tokenizer with its
// specials and packed blocks per split. Prepares (or reuses) the token shards first.
//
// Shards hold base-tokenizer ids only, so they are shared by every choice of specials,
// packing and block length; the specials are applied here with withSpecials.
import { join } from 'node:path';
import { cacheRoot } from './cache-dir.ts';
import type { DatasetEntry, DatasetOptions } from './corpora/dataset.ts';
import { getDataset } from './corpora/registry.ts';
import { dataRecord, type DataRecord } from './data-record.ts';
import type { SplitName } from './document.ts';
import type { PackedBlocks } from './packing/packed.ts';
import { packBlocks } from './packing/registry.ts';
import { loadPrepared, type PreparedData } from './prepare/load.ts';
import { prepare, type PrepareProgress, type PrepareResult } from './prepare/prepare.ts';
import { specKey, type TokenizerSpec } from './tokenizers/registry.ts';
import { sha256Hex, type Tokenizer } from './tokenizers/tokenizer.ts';
import { withSpecials } from './tokenizers/with-specials.ts';

/** `<cache root>/<dataset>/<tokenizer>` (plus a short hash of non-default tokenizer options); root: cacheRoot(). */
export function defaultPreparedDir(dataset: string, tokenizer: TokenizerSpec, root = cacheRoot()): string {
  const opts = tokenizer.options ?? {};
  const suffix = Object.keys(opts).length
    ? `-${sha256Hex(specKey({ name: tokenizer.name, options: opts })).slice(0, 8)}`
    : '';
  return join(root, dataset, `${tokenizer.name}${suffix}`);
}

export interface DataSpec {
  /** A registered dataset name, or an entry such as filesDataset(...) for your own files. */
  dataset: string | DatasetEntry;
  /** Base tokenizer and, separately, the specials to append (bos/eos/pad/mask). */
  tokenizer: TokenizerSpec;
  packing: string;
  length: number;
  /** Where prepared shards live (default defaultPreparedDir under cacheRoot()). */
  preparedDir?: string;
}

export interface OpenedData {
  prepared: PreparedData;
  prepareResult: PrepareResult;
  /** The tokenizer with specials applied; its ids are what the packed blocks contain. */
  tokenizer: Tokenizer;
  /** What the data was (dataset, raw files and their sha256, prepared folder): a run's data.json. */
  record: DataRecord;
  /** Packed blocks of a split (computed once per split). */
  blocks(split: SplitName): PackedBlocks;
}

export async function openData(
  spec: DataSpec,
  options: DatasetOptions & { onProgress?: (p: PrepareProgress) => void; verify?: boolean } = {},
): Promise<OpenedData> {
  const base: TokenizerSpec = {
    name: spec.tokenizer.name,
    ...(spec.tokenizer.options ? { options: spec.tokenizer.options } : {}),
  };
  const entry = typeof spec.dataset === 'string' ? getDataset(spec.dataset, options) : spec.dataset;
  const dir = spec.preparedDir ?? defaultPreparedDir(entry.cacheName ?? entry.name, base);
  const prepareResult = await prepare(entry, base, dir, { ...options });
  const prepared = await loadPrepared(dir, { verify: options.verify ?? true });
  const record = await dataRecord(entry, prepared);
  const specials = spec.tokenizer.specials;
  const tokenizer =
    specials && Object.keys(specials).length ? withSpecials(prepared.tokenizer, specials) : prepared.tokenizer;
  const cache = new Map<SplitName, PackedBlocks>();
  return {
    prepared,
    prepareResult,
    tokenizer,
    record,
    blocks(split) {
      let b = cache.get(split);
      if (!b) {
        b = packBlocks(prepared.split(split), spec.packing, spec.length, tokenizer.specials);
        cache.set(split, b);
      }
      return b;
    },
  };
}
