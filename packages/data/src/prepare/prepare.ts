// prepare(dataset, tokenizer, outDir): tokenize every split into Arrow token shards plus
// manifest.json and tokenizer.json.
//
// Idempotent and cached: when outDir already holds a manifest with the same inputKey and its
// files, nothing is read or written (`reused: true`). Atomic: everything is written into a
// sibling temp folder which is then renamed into place, so outDir is never half-written.
// Documents that tokenize to nothing are skipped and counted. An empty train split is an error.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { SplitName } from '../document.ts';
import { DataError } from '../errors.ts';
import type { DatasetEntry, DatasetOptions } from '../corpora/dataset.ts';
import { getDataset } from '../corpora/registry.ts';
import { buildTokenizer, specKey, tokenizers, type TokenizerSpec } from '../tokenizers/registry.ts';
import { canonicalJson, sha256Hex, stateHash, type Tokenizer } from '../tokenizers/tokenizer.ts';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest, type ShardInfo, type SplitInfo } from './manifest.ts';
import { encodeShard } from './shards.ts';

export interface PrepareProgress {
  dataset: string;
  split: SplitName | 'vocabulary';
  documents: number;
  tokens: number;
  characters: number;
  /** True on the last report of a split. */
  done: boolean;
}

export interface PrepareOptions extends DatasetOptions {
  /** Tokens per shard before a new shard is started (default 2^20). */
  shardTokens?: number;
  /** Rebuild even when a matching manifest exists. */
  force?: boolean;
  /** Called every `progressEvery` documents and at the end of each split. */
  onProgress?: (p: PrepareProgress) => void;
  progressEvery?: number;
}

export interface PrepareResult {
  dir: string;
  manifest: Manifest;
  /** True when an existing folder was reused without work. */
  reused: boolean;
}

const isTokenizer = (t: Tokenizer | TokenizerSpec): t is Tokenizer => typeof (t as Tokenizer).encode === 'function';

export async function prepare(
  dataset: string | DatasetEntry,
  tokenizer: Tokenizer | TokenizerSpec,
  outDir: string,
  options: PrepareOptions = {},
): Promise<PrepareResult> {
  const entry = typeof dataset === 'string' ? getDataset(dataset, options) : dataset;
  const dir = resolve(outDir);
  const shardTokens = options.shardTokens ?? 1 << 20;
  const fingerprint = await entry.fingerprint();
  const inputKey = sha256Hex(
    canonicalJson({
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      dataset: entry.name,
      fingerprint,
      splits: entry.splits,
      tokenizer: isTokenizer(tokenizer) ? { state: stateHash(tokenizer) } : { spec: specKey(tokenizer) },
      shardTokens,
    }),
  );
  if (!options.force) {
    const existing = reusable(dir, inputKey);
    if (existing) return { dir, manifest: existing, reused: true };
  }

  const progressEvery = options.progressEvery ?? 64;
  const report = (p: Omit<PrepareProgress, 'dataset'>) => options.onProgress?.({ dataset: entry.name, ...p });
  let tok: Tokenizer;
  if (isTokenizer(tokenizer)) tok = tokenizer;
  else {
    const needsText = tokenizers.get(tokenizer.name).needsTrainingText;
    tok = await buildTokenizer(tokenizer, needsText ? () => trainingText(entry, report, progressEvery) : undefined);
  }

  const tmp = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  mkdirSync(tmp, { recursive: true });
  try {
    const splits: Manifest['splits'] = {};
    for (const split of entry.splits)
      splits[split] = await tokenizeSplit(entry, split, tok, tmp, shardTokens, progressEvery, report);
    if (!splits.train || splits.train.documents === 0) {
      throw new DataError(
        { op: 'prepare', arg: `${entry.name} train split`, expected: 'at least one non-empty document' },
        'is an empty corpus',
      );
    }
    const state = tok.state();
    writeFileSync(join(tmp, 'tokenizer.json'), `${JSON.stringify(state, null, 1)}\n`);
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      formatVersion: MANIFEST_VERSION,
      inputKey,
      dataset: {
        name: entry.name,
        fingerprint,
        splitRule: entry.splitRule,
        source: entry.source,
        licence: entry.licence,
      },
      tokenizer: {
        name: tok.name,
        stateHash: stateHash(state),
        vocabSize: tok.vocabSize,
        specials: { ...tok.specials },
        stateFile: 'tokenizer.json',
      },
      shardTokens,
      splits,
    };
    writeFileSync(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    swapInto(tmp, dir);
    return { dir, manifest, reused: false };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The existing manifest when `dir` was prepared from the same inputs and its files are present. */
function reusable(dir: string, inputKey: string): Manifest | undefined {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return undefined;
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (
    m.inputKey !== inputKey ||
    m.formatVersion !== MANIFEST_VERSION ||
    !existsSync(join(dir, m.tokenizer?.stateFile ?? 'tokenizer.json'))
  )
    return undefined;
  for (const s of Object.values(m.splits)) {
    for (const sh of s?.shards ?? []) {
      const f = join(dir, sh.file);
      // Same inputs, damaged output: refuse rather than silently rebuild, so corruption is seen.
      if (!existsSync(f) || statSync(f).size !== sh.bytes) {
        throw new DataError(
          {
            op: 'prepare',
            arg: f,
            expected: `${sh.bytes} bytes as manifest.json records`,
            got: existsSync(f) ? `${statSync(f).size} bytes` : 'no file',
          },
          'is a truncated or missing Arrow shard; run `dlm data prepare <dataset> --force` (or delete the folder) to rebuild it',
        );
      }
    }
  }
  return m;
}

async function* trainingText(
  entry: DatasetEntry,
  report: (p: Omit<PrepareProgress, 'dataset'>) => void,
  every: number,
): AsyncIterable<string> {
  let documents = 0;
  let characters = 0;
  for await (const d of entry.documents('train')) {
    documents++;
    characters += d.text.length;
    if (documents % every === 0) report({ split: 'vocabulary', documents, tokens: 0, characters, done: false });
    yield d.text;
  }
  report({ split: 'vocabulary', documents, tokens: 0, characters, done: true });
}

async function tokenizeSplit(
  entry: DatasetEntry,
  split: SplitName,
  tok: Tokenizer,
  tmp: string,
  shardTokens: number,
  every: number,
  report: (p: Omit<PrepareProgress, 'dataset'>) => void,
): Promise<SplitInfo> {
  const info: SplitInfo = { documents: 0, tokens: 0, characters: 0, skippedEmpty: 0, shards: [] };
  let docs: Int32Array[] = [];
  let ids: string[] = [];
  let pending = 0;
  const flush = () => {
    if (!docs.length) return;
    const file = `${split}-${String(info.shards.length).padStart(5, '0')}.arrow`;
    const bytes = encodeShard(docs, ids);
    writeFileSync(join(tmp, file), bytes);
    const shard: ShardInfo = {
      file,
      documents: docs.length,
      tokens: pending,
      bytes: bytes.length,
      sha256: sha256Hex(bytes),
    };
    info.shards.push(shard);
    docs = [];
    ids = [];
    pending = 0;
  };
  for await (const d of entry.documents(split)) {
    const t = tok.encode(d.text);
    if (t.length === 0) {
      info.skippedEmpty++;
      continue;
    }
    docs.push(t);
    ids.push(d.id);
    pending += t.length;
    info.documents++;
    info.tokens += t.length;
    info.characters += d.text.length;
    if (pending >= shardTokens) flush();
    if (info.documents % every === 0)
      report({ split, documents: info.documents, tokens: info.tokens, characters: info.characters, done: false });
  }
  flush();
  report({ split, documents: info.documents, tokens: info.tokens, characters: info.characters, done: true });
  return info;
}

/** Replaces `dir` by `tmp` with renames only (the old folder is removed afterwards). */
export function swapInto(tmp: string, dir: string): void {
  mkdirSync(dirname(dir), { recursive: true });
  if (existsSync(dir)) {
    const old = `${dir}.old-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    renameSync(dir, old);
    renameSync(tmp, dir);
    rmSync(old, { recursive: true, force: true });
  } else renameSync(tmp, dir);
}
