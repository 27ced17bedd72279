// Paired data (prompt/response, src/trg): config, readers, chat template + tokenizing, SFT row packing, cache.
export {
  PAIR_FORMATS,
  PAIRS_DEFAULTS,
  resolvePairsConfig,
  type PairFormat,
  type PairsConfig,
  type ResolvedPairsConfig,
} from './pairs-config.ts';
export { PairFieldError, readAllPairs, readPairs, type Pair } from './read-pairs.ts';
export {
  PROMPT_PLACEHOLDER,
  applyChatTemplate,
  checkChatTemplate,
  tokenizePair,
  type TokenizedPair,
} from './tokenize-pairs.ts';
export {
  PAIR_OVERFLOW,
  PairTooLongError,
  packPairs,
  pairBatch,
  type PackPairsOptions,
  type PackedPairs,
  type PairBatch,
  type PairOverflow,
} from './pack-pairs.ts';
export {
  PAIRS_MANIFEST_FILE,
  PAIRS_MANIFEST_FORMAT,
  PAIRS_MANIFEST_VERSION,
  loadPreparedPairs,
  preparePairs,
  type PairShards,
  type PairsManifest,
  type PairsSplitInfo,
  type PreparePairsOptions,
  type PreparePairsResult,
  type PreparedPairs,
} from './prepare-pairs.ts';
export { openPairs, type OpenPairsOptions, type OpenedPairs } from './open-pairs.ts';
export { PairLoader, selectPairs, type PairLoaderBatch } from './pair-loader.ts';
