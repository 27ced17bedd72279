// manifest.json of a prepared dataset folder:
//   <outDir>/manifest.json        this file
//   <outDir>/tokenizer.json       the tokenizer state (tokenizerFromState rebuilds it)
//   <outDir>/<split>-00000.arrow  token shards (shards.ts), each with its sha256 here
// `inputKey` hashes everything that determines the output (format version, dataset name and
// fingerprint, tokenizer spec, shard size); prepare reuses a folder whose key matches.
import type { SplitName } from '../document.ts';
import type { SpecialIds } from '../tokenizers/tokenizer.ts';

export const MANIFEST_FORMAT = 'dlm-token-shards';
export const MANIFEST_VERSION = 1;

export interface ShardInfo {
  file: string;
  documents: number;
  tokens: number;
  bytes: number;
  sha256: string;
}

export interface SplitInfo {
  documents: number;
  tokens: number;
  /** Characters (UTF-16 code units) of the documents kept. */
  characters: number;
  /** Documents that tokenized to nothing and were left out. */
  skippedEmpty: number;
  shards: ShardInfo[];
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  formatVersion: typeof MANIFEST_VERSION;
  inputKey: string;
  dataset: { name: string; fingerprint: string; splitRule: string; source: string; licence: string };
  tokenizer: { name: string; stateHash: string; vocabSize: number; specials: SpecialIds; stateFile: string };
  shardTokens: number;
  splits: Partial<Record<SplitName, SplitInfo>>;
}
