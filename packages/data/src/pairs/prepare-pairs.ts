// preparePairs(config, tokenizer, outDir): tokenized pairs cached like `prepare`'s token shards.
//   <outDir>/pairs-manifest.json     this manifest (format dlm-pair-shards)
//   <outDir>/tokenizer.json          the tokenizer state (tokenizerFromState rebuilds it)
//   <outDir>/<split>-prompt-00000.arrow, <split>-response-00000.arrow
//                                    token shards (prepare/shards.ts), row i of both = pair i
// Cached by content: `inputKey` hashes the file's bytes (sha256), the pairs config, the chat template,
// the tokenizer state and the shard size; a folder with the same key is reused without reading the
// pairs. Written into a temp folder and renamed into place, so outDir is never half-written.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SplitName } from '../document.ts';
import { DataError } from '../errors.ts';
import type { ShardInfo } from '../prepare/manifest.ts';
import { swapInto } from '../prepare/prepare.ts';
import { decodeShard, encodeShard } from '../prepare/shards.ts';
import { tokenizerFromState } from '../tokenizers/registry.ts';
import { canonicalJson, sha256Hex, stateHash, type SpecialIds, type Tokenizer } from '../tokenizers/tokenizer.ts';
import { resolvePairsConfig, type PairsConfig, type ResolvedPairsConfig } from './pairs-config.ts';
import { readPairs } from './read-pairs.ts';
import { checkChatTemplate, tokenizePair, type TokenizedPair } from './tokenize-pairs.ts';

export const PAIRS_MANIFEST_FORMAT = 'dlm-pair-shards';
export const PAIRS_MANIFEST_VERSION = 1;
export const PAIRS_MANIFEST_FILE = 'pairs-manifest.json';

export interface PairShards {
  prompt: ShardInfo;
  response: ShardInfo;
}

export interface PairsSplitInfo {
  pairs: number;
  promptTokens: number;
  responseTokens: number;
  shards: PairShards[];
}

export interface PairsManifest {
  format: typeof PAIRS_MANIFEST_FORMAT;
  formatVersion: typeof PAIRS_MANIFEST_VERSION;
  inputKey: string;
  source: ResolvedPairsConfig & { sha256: string; bytes: number };
  chatTemplate: string | null;
  tokenizer: { name: string; stateHash: string; vocabSize: number; specials: SpecialIds; stateFile: string };
  shardPairs: number;
  splits: Partial<Record<SplitName, PairsSplitInfo>>;
}

export interface PreparePairsOptions {
  /** Applied to every prompt before tokenizing (a string with `{prompt}`). */
  chatTemplate?: string;
  /** The split the file becomes (default 'train'). */
  split?: SplitName;
  /** Pairs per shard (default 65536). */
  shardPairs?: number;
  /** Rebuild even when a matching manifest exists. */
  force?: boolean;
}

export interface PreparePairsResult {
  dir: string;
  manifest: PairsManifest;
  reused: boolean;
}

async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function preparePairs(
  config: PairsConfig,
  tokenizer: Tokenizer,
  outDir: string,
  options: PreparePairsOptions = {},
): Promise<PreparePairsResult> {
  const op = 'preparePairs';
  const c = resolvePairsConfig(config);
  const chatTemplate = options.chatTemplate === undefined ? null : checkChatTemplate(options.chatTemplate);
  const split = options.split ?? 'train';
  const shardPairs = options.shardPairs ?? 1 << 16;
  if (!(Number.isSafeInteger(shardPairs) && shardPairs > 0)) {
    throw new DataError({ op, arg: 'shardPairs', expected: 'a positive integer', got: String(shardPairs) });
  }
  if (!existsSync(c.path) || !statSync(c.path).isFile()) {
    throw new DataError({ op, arg: resolve(c.path), expected: 'an existing pairs file' }, 'not found');
  }
  const sha256 = await fileSha256(c.path);
  const source = { ...c, path: resolve(c.path), sha256, bytes: statSync(c.path).size };
  const state = tokenizer.state();
  // The path is left out of the key: the same bytes elsewhere give the same pairs.
  const keyed = { format: c.format, source_field: c.source_field, target_field: c.target_field, sha256 };
  const inputKey = sha256Hex(
    canonicalJson({
      format: PAIRS_MANIFEST_FORMAT,
      version: PAIRS_MANIFEST_VERSION,
      source: keyed,
      chatTemplate,
      tokenizer: stateHash(state),
      split,
      shardPairs,
    }),
  );
  const dir = resolve(outDir);
  if (!options.force) {
    const existing = reusablePairs(dir, inputKey);
    if (existing) return { dir, manifest: existing, reused: true };
  }

  const tmp = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  mkdirSync(tmp, { recursive: true });
  try {
    const info: PairsSplitInfo = { pairs: 0, promptTokens: 0, responseTokens: 0, shards: [] };
    let batch: TokenizedPair[] = [];
    const flush = () => {
      if (!batch.length) return;
      const n = String(info.shards.length).padStart(5, '0');
      const ids = batch.map((p) => p.id);
      const write = (side: 'prompt' | 'response'): ShardInfo => {
        const file = `${split}-${side}-${n}.arrow`;
        const docs = batch.map((p) => p[side]);
        const bytes = encodeShard(docs, ids);
        writeFileSync(join(tmp, file), bytes);
        const tokens = docs.reduce((a, d) => a + d.length, 0);
        return { file, documents: docs.length, tokens, bytes: bytes.length, sha256: sha256Hex(bytes) };
      };
      info.shards.push({ prompt: write('prompt'), response: write('response') });
      batch = [];
    };
    for await (const pair of readPairs(c)) {
      const t = tokenizePair(tokenizer, pair, chatTemplate ?? undefined);
      batch.push(t);
      info.pairs++;
      info.promptTokens += t.prompt.length;
      info.responseTokens += t.response.length;
      if (batch.length >= shardPairs) flush();
    }
    flush();
    if (info.pairs === 0) throw new DataError({ op, arg: c.path, expected: 'at least one pair' }, 'holds no pairs');
    writeFileSync(join(tmp, 'tokenizer.json'), `${JSON.stringify(state, null, 1)}\n`);
    const manifest: PairsManifest = {
      format: PAIRS_MANIFEST_FORMAT,
      formatVersion: PAIRS_MANIFEST_VERSION,
      inputKey,
      source,
      chatTemplate,
      tokenizer: {
        name: tokenizer.name,
        stateHash: stateHash(state),
        vocabSize: tokenizer.vocabSize,
        specials: { ...tokenizer.specials },
        stateFile: 'tokenizer.json',
      },
      shardPairs,
      splits: { [split]: info },
    };
    writeFileSync(join(tmp, PAIRS_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    swapInto(tmp, dir);
    return { dir, manifest, reused: false };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function readPairsManifest(dir: string): PairsManifest | undefined {
  const path = join(dir, PAIRS_MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PairsManifest;
  } catch {
    return undefined;
  }
}

/** The existing manifest when `dir` was prepared from the same inputs and its files are present with their sizes. */
function reusablePairs(dir: string, inputKey: string): PairsManifest | undefined {
  const m = readPairsManifest(dir);
  if (!m || m.inputKey !== inputKey || m.formatVersion !== PAIRS_MANIFEST_VERSION) return undefined;
  if (!existsSync(join(dir, m.tokenizer.stateFile))) return undefined;
  for (const s of Object.values(m.splits)) {
    for (const sh of (s?.shards ?? []).flatMap((x) => [x.prompt, x.response])) {
      const f = join(dir, sh.file);
      if (!existsSync(f) || statSync(f).size !== sh.bytes) {
        throw new DataError(
          {
            op: 'preparePairs',
            arg: f,
            expected: `${sh.bytes} bytes as ${PAIRS_MANIFEST_FILE} records`,
            got: existsSync(f) ? `${statSync(f).size} bytes` : 'no file',
          },
          'is a truncated or missing pair shard; prepare with force (or delete the folder) to rebuild it',
        );
      }
    }
  }
  return m;
}

export interface PreparedPairs {
  dir: string;
  manifest: PairsManifest;
  tokenizer: Tokenizer;
  /** Every pair of a split, in file order. */
  pairs(split?: SplitName): TokenizedPair[];
}

/** Opens a preparePairs folder; each shard is checked against the manifest (sha256 unless verify: false). */
export async function loadPreparedPairs(dir: string, options: { verify?: boolean } = {}): Promise<PreparedPairs> {
  const op = 'load prepared pairs';
  const root = resolve(dir);
  const manifest = readPairsManifest(root);
  if (!manifest || manifest.format !== PAIRS_MANIFEST_FORMAT || manifest.formatVersion !== PAIRS_MANIFEST_VERSION) {
    throw new DataError(
      {
        op,
        arg: join(root, PAIRS_MANIFEST_FILE),
        expected: `a ${PAIRS_MANIFEST_FORMAT} v${PAIRS_MANIFEST_VERSION} manifest made by preparePairs`,
      },
      'not found or not readable',
    );
  }
  const state = JSON.parse(readFileSync(join(root, manifest.tokenizer.stateFile), 'utf8'));
  if (stateHash(state) !== manifest.tokenizer.stateHash) {
    throw new DataError(
      {
        op,
        arg: join(root, manifest.tokenizer.stateFile),
        expected: `state hash ${manifest.tokenizer.stateHash}`,
        got: stateHash(state),
      },
      'does not match the manifest',
    );
  }
  const tokenizer = await tokenizerFromState(state);
  const verify = options.verify ?? true;
  const read = (sh: ShardInfo): { docs: Int32Array[]; ids: string[] } => {
    const file = join(root, sh.file);
    if (!existsSync(file)) {
      throw new DataError({ op, arg: file, expected: `the shard listed in ${PAIRS_MANIFEST_FILE}` }, 'is missing');
    }
    const bytes = readFileSync(file);
    if (verify && sha256Hex(bytes) !== sh.sha256) {
      throw new DataError(
        {
          op,
          arg: file,
          expected: `sha256 ${sh.sha256} (${sh.bytes} bytes)`,
          got: `sha256 ${sha256Hex(bytes)} (${bytes.length} bytes)`,
        },
        'is corrupt or truncated',
      );
    }
    const d = decodeShard(bytes, file);
    const n = d.offsets.length - 1;
    if (n !== sh.documents || d.values.length !== sh.tokens) {
      throw new DataError(
        {
          op,
          arg: file,
          expected: `${sh.documents} rows, ${sh.tokens} tokens`,
          got: `${n} rows, ${d.values.length} tokens`,
        },
        'does not match the manifest',
      );
    }
    const docs = Array.from({ length: n }, (_, i) => d.values.subarray(d.offsets[i]!, d.offsets[i + 1]!));
    return { docs, ids: d.ids };
  };
  return {
    dir: root,
    manifest,
    tokenizer,
    pairs(split: SplitName = 'train') {
      const info = manifest.splits[split];
      if (!info) {
        throw new DataError(
          {
            op,
            arg: split,
            expected: `one of ${Object.keys(manifest.splits).join(', ')}`,
          },
          'is not a prepared split',
        );
      }
      const out: TokenizedPair[] = [];
      for (const sh of info.shards) {
        const prompts = read(sh.prompt);
        const responses = read(sh.response);
        if (responses.ids.join('\n') !== prompts.ids.join('\n')) {
          throw new DataError(
            {
              op,
              arg: sh.response.file,
              expected: `the pair ids of ${sh.prompt.file}`,
            },
            'is out of step with its prompt shard',
          );
        }
        prompts.docs.forEach((prompt, i) => out.push({ id: prompts.ids[i]!, prompt, response: responses.docs[i]! }));
      }
      return out;
    },
  };
}
