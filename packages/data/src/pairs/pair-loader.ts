// A seeded, shuffled, resumable loader over packed SFT pairs: BlockLoader's order and state over the
// pair rows, plus each batch's [B, L] prompt mask (1 = prompt: BOS + prompt tokens), which
// lladaTrainForward's `promptMask` takes. Restoring a state resumes at exactly the next batch.
import { ConfigError, brief, type Rng } from '@dlm/core';
import { BlockLoader, type Batch, type LoaderOptions, type LoaderState } from '../loader/block-loader.ts';
import type { PackedBlocks } from '../packing/packed.ts';
import type { PackedPairs } from './pack-pairs.ts';

export interface PairLoaderBatch extends Batch {
  /** [B, L] 1 at prompt positions. */
  promptMask: Uint8Array;
}

function blocksOf(packed: PackedPairs): PackedBlocks {
  const [rows, length] = packed.shape;
  const stats = { documents: rows, droppedTokens: 0, truncatedDocuments: packed.truncated };
  return { rows, length, tokens: packed.ids, stats };
}

/** Rows `indices` of a packing as a packing of their own (e.g. a held-out validation part). */
export function selectPairs(packed: PackedPairs, indices: readonly number[]): PackedPairs {
  const [n, L] = packed.shape;
  const ids = new Int32Array(indices.length * L);
  indices.forEach((r, i) => {
    if (!(Number.isInteger(r) && r >= 0 && r < n)) {
      throw new ConfigError({ op: 'selectPairs', arg: `indices[${i}]`, expected: `a row in [0, ${n})`, got: brief(r) });
    }
    ids.set(packed.ids.subarray(r * L, (r + 1) * L), i * L);
  });
  const pick = (a: Int32Array) => Int32Array.from(indices, (r) => a[r]!);
  return {
    ids,
    shape: [indices.length, L],
    promptLengths: pick(packed.promptLengths),
    answerLengths: pick(packed.answerLengths),
    pairIds: indices.map((r) => packed.pairIds[r]!),
    truncated: 0,
    dropped: 0,
  };
}

export class PairLoader {
  private constructor(
    private readonly packed: PackedPairs,
    private readonly inner: BlockLoader,
  ) {}

  static create(packed: PackedPairs, options: LoaderOptions, rng: Rng): PairLoader {
    return new PairLoader(packed, new BlockLoader(blocksOf(packed), options, rng));
  }

  /** A loader positioned exactly where `state` was taken. */
  static restore(packed: PackedPairs, options: LoaderOptions, state: LoaderState): PairLoader {
    return new PairLoader(packed, BlockLoader.restore(blocksOf(packed), options, state));
  }

  get batchesPerEpoch(): number {
    return this.inner.batchesPerEpoch;
  }

  state(): LoaderState {
    return this.inner.state();
  }

  next(): PairLoaderBatch {
    const b = this.inner.next();
    const [B, L] = b.shape;
    const promptMask = new Uint8Array(B * L);
    b.rows.forEach((r, i) => promptMask.fill(1, i * L, i * L + this.packed.promptLengths[r]!));
    return { ...b, promptMask };
  }
}
