// Loading a prepared folder: manifest, tokenizer, and the token shards of a split. Every shard
// is checked against the manifest (sha256 by default, then its Arrow layout and counts); a
// mismatch is a DataError naming the file.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SplitName } from '../document.ts';
import { DataError } from '../errors.ts';
import { tokenDocs, type TokenDocs } from '../packing/token-docs.ts';
import { tokenizerFromState } from '../tokenizers/registry.ts';
import { sha256Hex, stateHash, type Tokenizer } from '../tokenizers/tokenizer.ts';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest } from './manifest.ts';
import { decodeShard } from './shards.ts';

export interface PreparedData {
  dir: string;
  manifest: Manifest;
  /** The base tokenizer the shards were made with (apply withSpecials for BOS/EOS/PAD/MASK). */
  tokenizer: Tokenizer;
  /** All documents of a split as one flat stream + offsets. */
  split(name: SplitName): TokenDocs & { ids: string[] };
}

export interface LoadOptions {
  /** Check each shard's sha256 against the manifest (default true). */
  verify?: boolean;
}

export function readManifest(dir: string): Manifest {
  const path = join(resolve(dir), 'manifest.json');
  if (!existsSync(path))
    throw new DataError(
      { op: 'load prepared data', arg: path, expected: 'a folder made by `dlm data prepare`' },
      'not found',
    );
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (e) {
    throw new DataError({ op: 'load prepared data', arg: path, expected: 'JSON', got: (e as Error).message });
  }
  if (m.format !== MANIFEST_FORMAT || m.formatVersion !== MANIFEST_VERSION) {
    throw new DataError({
      op: 'load prepared data',
      arg: path,
      expected: `${MANIFEST_FORMAT} version ${MANIFEST_VERSION}`,
      got: `${String(m.format)} version ${String(m.formatVersion)}`,
    });
  }
  return m;
}

export async function loadPrepared(dir: string, options: LoadOptions = {}): Promise<PreparedData> {
  const root = resolve(dir);
  const manifest = readManifest(root);
  const statePath = join(root, manifest.tokenizer.stateFile);
  if (!existsSync(statePath))
    throw new DataError(
      { op: 'load prepared data', arg: statePath, expected: 'the tokenizer state written by prepare' },
      'not found',
    );
  const state = JSON.parse(readFileSync(statePath, 'utf8'));
  if (stateHash(state) !== manifest.tokenizer.stateHash) {
    throw new DataError(
      {
        op: 'load prepared data',
        arg: statePath,
        expected: `state hash ${manifest.tokenizer.stateHash}`,
        got: stateHash(state),
      },
      'does not match the manifest',
    );
  }
  const tokenizer = await tokenizerFromState(state);
  const verify = options.verify ?? true;
  return {
    dir: root,
    manifest,
    tokenizer,
    split(name: SplitName) {
      const info = manifest.splits[name];
      if (!info)
        throw new DataError(
          { op: 'load prepared data', arg: name, expected: `one of ${Object.keys(manifest.splits).join(', ')}` },
          `is not a split of ${manifest.dataset.name}`,
        );
      const parts: Int32Array[] = [];
      const ids: string[] = [];
      for (const sh of info.shards) {
        const file = join(root, sh.file);
        if (!existsSync(file))
          throw new DataError(
            { op: 'read token shard', arg: file, expected: 'the shard listed in manifest.json' },
            'is missing',
          );
        const bytes = readFileSync(file);
        if (verify) {
          const got = sha256Hex(bytes);
          if (got !== sh.sha256)
            throw new DataError(
              {
                op: 'read token shard',
                arg: file,
                expected: `sha256 ${sh.sha256} (${sh.bytes} bytes)`,
                got: `sha256 ${got} (${bytes.length} bytes)`,
              },
              'is corrupt or truncated',
            );
        }
        const shard = decodeShard(bytes, file);
        const n = shard.offsets.length - 1;
        if (n !== sh.documents || shard.values.length !== sh.tokens) {
          throw new DataError(
            {
              op: 'read token shard',
              arg: file,
              expected: `${sh.documents} documents, ${sh.tokens} tokens`,
              got: `${n} documents, ${shard.values.length} tokens`,
            },
            'does not match the manifest',
          );
        }
        for (let i = 0; i < n; i++) parts.push(shard.values.subarray(shard.offsets[i]!, shard.offsets[i + 1]!));
        ids.push(...shard.ids);
      }
      return { ...tokenDocs(parts), ids };
    },
  };
}
