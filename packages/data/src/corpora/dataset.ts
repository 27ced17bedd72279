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
  /** Identifies the raw inputs (package version, file names and sizes): part of prepare's cache key. */
  fingerprint(): Promise<string>;
  documents(split: SplitName): AsyncIterable<Document>;
}

export interface DatasetOptions {
  /** Folder holding raw downloads for datasets that are not bundled (default `data/raw`). */
  rawDir?: string;
}
