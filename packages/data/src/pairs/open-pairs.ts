// One call from `data.pairs` to SFT rows: preparePairs (cached by content) → loadPreparedPairs →
// packPairs with the tokenizer's own BOS / EOS ids. The tokenizer must have an EOS (withSpecials).
import { ConfigError } from '@dlm/core';
import type { SplitName } from '../document.ts';
import type { Tokenizer } from '../tokenizers/tokenizer.ts';
import { packPairs, type PackedPairs, type PairOverflow } from './pack-pairs.ts';
import type { PairsConfig } from './pairs-config.ts';
import { loadPreparedPairs, preparePairs, type PairsManifest } from './prepare-pairs.ts';

export interface OpenPairsOptions {
  /** The prepared folder (pairs-manifest.json, tokenizer.json, shards). */
  dir: string;
  rowLength: number;
  chatTemplate?: string;
  overflow?: PairOverflow;
  split?: SplitName;
  force?: boolean;
}

export interface OpenedPairs {
  packed: PackedPairs;
  manifest: PairsManifest;
  /** True when the prepared folder was reused without reading the pairs file. */
  reused: boolean;
}

export async function openPairs(
  config: PairsConfig,
  tokenizer: Tokenizer,
  opts: OpenPairsOptions,
): Promise<OpenedPairs> {
  const { bos, eos } = tokenizer.specials;
  if (eos === undefined) {
    const expected = 'a tokenizer with an EOS id (withSpecials(base, {eos: true}) or an existing id)';
    throw new ConfigError({ op: 'openPairs', arg: `tokenizer ${tokenizer.name}`, expected, got: 'no eos' });
  }
  const split = opts.split ?? 'train';
  const prep = await preparePairs(config, tokenizer, opts.dir, {
    split,
    ...(opts.chatTemplate === undefined ? {} : { chatTemplate: opts.chatTemplate }),
    ...(opts.force === undefined ? {} : { force: opts.force }),
  });
  const loaded = await loadPreparedPairs(prep.dir);
  const packed = packPairs(loaded.pairs(split), {
    rowLength: opts.rowLength,
    eos,
    ...(bos === undefined ? {} : { bos }),
    ...(opts.overflow === undefined ? {} : { overflow: opts.overflow }),
  });
  return { packed, manifest: prep.manifest, reused: prep.reused };
}
