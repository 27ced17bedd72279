// A dataset entry: named documents in deterministic train / validation / test splits.
import type { Document, SplitName } from '../document.ts';

export interface DatasetEntry {
  readonly name: string;
  readonly description: string;
  /** Where the text comes from (package, URL). */
  readonly source: string;
  readonly licence: string;
  /** The split rule in words (recorded in manifest.json and on the dataset card). */
  readonly splitRule: string;
  readonly splits: readonly SplitName[];
  /** Tokenizer used by `dlm data prepare <name>` when none is given. */
  readonly defaultTokenizer: string;
  /** Folder name under the cache root (default `name`). */
  readonly cacheName?: string;
  /** The raw files read, with their content hashes (local-file datasets; recorded beside a run). */
  files?(): Promise<readonly InputFile[]>;
  /** Identifies the raw inputs (package version, file names and sizes): part of prepare's cache key. */
  fingerprint(): Promise<string>;
  documents(split: SplitName): AsyncIterable<Document>;
}

/** One raw input file as a run records it. */
export interface InputFile {
  /** The split it feeds, or `all` for one file split by document index. */
  split: string;
  format: string;
  /** Absolute path. */
  path: string;
  options: Readonly<Record<string, unknown>>;
  bytes: number;
  /** sha256 (hex) of the raw bytes. */
  sha256: string;
}

export interface DatasetOptions {
  /** Folder holding raw downloads for datasets that are not bundled (default `data/raw`). */
  rawDir?: string;
}
