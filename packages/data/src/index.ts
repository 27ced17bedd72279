// @dlm/data: Tokenizers, readers (txt, jsonl, csv, Arrow IPC, Parquet), prepare to Arrow token shards, block packing,
// seeded resumable loaders.
export { DataError } from './errors.ts';
export { SPLIT_NAMES, type Document, type SplitName } from './document.ts';

// tokenizers
export {
  canonicalJson,
  checkIds,
  sha256Hex,
  stateHash,
  type SpecialIds,
  type Tokenizer,
  type TokenizerState,
} from './tokenizers/tokenizer.ts';
export { text8Normalize } from './tokenizers/text8-normalize.ts';
export { charTokenizer, TEXT8_ALPHABET } from './tokenizers/char.ts';
export { splitWords } from './tokenizers/word.ts';
export { withSpecials, SPECIAL_NAMES, type SpecialName, type SpecialsSpec } from './tokenizers/with-specials.ts';
export {
  tokenizers,
  buildTokenizer,
  tokenizerFromState,
  specKey,
  type TokenizerKind,
  type TokenizerSpec,
} from './tokenizers/registry.ts';

// readers
export { readers, readDocuments, type Reader, type ReaderSpec } from './readers/registry.ts';
export { csvRecords } from './readers/csv.ts';

// corpora and datasets
export { datasets, getDataset, type DatasetFactory } from './corpora/registry.ts';
export type { DatasetEntry, DatasetOptions, InputFile } from './corpora/dataset.ts';
export { filesDataset, fileSha256, type FilesSpec, type FilesDatasetOptions } from './corpora/files-dataset.ts';
export { CHARACTER_SPLIT_RULE, DOCUMENT_SPLIT_RULE, characterSplitRange, documentSplit } from './corpora/splits.ts';

// prepare → shards → load
export { prepare, type PrepareOptions, type PrepareProgress, type PrepareResult } from './prepare/prepare.ts';
export { loadPrepared, readManifest, type LoadOptions, type PreparedData } from './prepare/load.ts';
export {
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  type Manifest,
  type ShardInfo,
  type SplitInfo,
} from './prepare/manifest.ts';
export { encodeShard, decodeShard } from './prepare/shards.ts';

// packing and loading
export { tokenDocs, documentAt, documentCount, type TokenDocs } from './packing/token-docs.ts';
export type { PackedBlocks } from './packing/packed.ts';
export { packers, packBlocks, type Packer } from './packing/registry.ts';
export { packWrap } from './packing/wrap.ts';
export { packPad } from './packing/pad.ts';
export { packChunk } from './packing/chunk.ts';
export { BlockLoader, type Batch, type LoaderOptions, type LoaderState } from './loader/block-loader.ts';

// paired data (SFT prompt/response, seq2seq src/trg)
export * from './pairs/index.ts';

// one-call pipeline and the CLI entry
export { openData, defaultPreparedDir, type DataSpec, type OpenedData } from './pipeline.ts';
export { cacheRoot, findProjectRoot } from './cache-dir.ts';
export {
  DATA_RECORD_FILE,
  checkResumeData,
  dataRecord,
  dataRecordChanges,
  readDataRecord,
  writeDataRecord,
  type DataRecord,
} from './data-record.ts';
export { dataPrepareCommand, parseTokenizerArg, formatProgress, type DataPrepareArgs } from './cli/data-prepare.ts';
export * from './tasks/index.ts';
export { dataMcClozeCommand, dataNextWordCommand, type WordTaskCommandArgs } from './cli/data-word-task.ts';
