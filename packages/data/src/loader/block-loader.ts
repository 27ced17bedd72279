// A seeded, shuffled, resumable loader over packed blocks.
//
// Epoch e visits the rows in the order `rng.split('epoch-<e>').permutation(rows)` (identity
// when shuffle is off), `batchSize` rows per batch; with dropLast (default) the last partial
// batch of an epoch is skipped. The root Rng is never advanced, so the state is just
// {epoch, index, rng}: restoring it resumes at exactly the next batch an uninterrupted loader
// would have produced.
import { ConfigError, Rng, brief, type RngState } from '@dlm/core';
import type { PackedBlocks } from '../packing/packed.ts';

export interface LoaderOptions {
  batchSize: number;
  /** Shuffle rows each epoch (default true). */
  shuffle?: boolean;
  /** Skip the last partial batch of an epoch (default true). */
  dropLast?: boolean;
}

export interface LoaderState {
  epoch: number;
  /** Batches already taken in this epoch. */
  index: number;
  rng: RngState;
  /** For checking that a state is restored onto the same data and batch size. */
  rows: number;
  batchSize: number;
}

export interface Batch {
  tokens: Int32Array; // [B, L]
  attentionMask?: Uint8Array; // [B, L]
  shape: [number, number];
  /** Row indices into the packed blocks ([B]). */
  rows: Int32Array;
  epoch: number;
  /** This batch's index within its epoch. */
  index: number;
}

export class BlockLoader {
  private epoch = 0;
  private index = 0;
  private order: Int32Array | undefined;
  private readonly rootState: RngState;
  private readonly shuffle: boolean;
  private readonly dropLast: boolean;
  readonly batchSize: number;

  constructor(
    private readonly blocks: PackedBlocks,
    options: LoaderOptions,
    rng: Rng,
  ) {
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new ConfigError({
        op: 'BlockLoader',
        arg: 'batchSize',
        expected: 'a positive integer',
        got: brief(batchSize),
      });
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? true;
    this.dropLast = options.dropLast ?? true;
    this.rootState = rng.state();
    if (this.batchesPerEpoch === 0) {
      throw new ConfigError({
        op: 'BlockLoader',
        arg: 'batchSize',
        expected: `at most the number of packed rows (${blocks.rows}) when dropLast is on`,
        got: String(batchSize),
      });
    }
  }

  /** A loader positioned exactly where `state` was taken. */
  static restore(blocks: PackedBlocks, options: LoaderOptions, state: LoaderState): BlockLoader {
    if (state.rows !== blocks.rows || state.batchSize !== options.batchSize) {
      throw new ConfigError({
        op: 'BlockLoader.restore',
        arg: 'state',
        expected: `rows ${blocks.rows}, batchSize ${options.batchSize} (the data and batch size it was saved with)`,
        got: `rows ${state.rows}, batchSize ${state.batchSize}`,
      });
    }
    const loader = new BlockLoader(blocks, options, Rng.fromState(state.rng));
    if (!(
      Number.isInteger(state.epoch) &&
      state.epoch >= 0 &&
      Number.isInteger(state.index) &&
      state.index >= 0 &&
      state.index <= loader.batchesPerEpoch
    )) {
      throw new ConfigError({
        op: 'BlockLoader.restore',
        arg: 'state.epoch/index',
        expected: `non-negative integers, index <= ${loader.batchesPerEpoch}`,
        got: `${state.epoch}/${state.index}`,
      });
    }
    loader.epoch = state.epoch;
    loader.index = state.index;
    return loader;
  }

  get batchesPerEpoch(): number {
    const n = this.blocks.rows / this.batchSize;
    return this.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  state(): LoaderState {
    return {
      epoch: this.epoch,
      index: this.index,
      rng: { ...this.rootState, s: [...this.rootState.s] },
      rows: this.blocks.rows,
      batchSize: this.batchSize,
    };
  }

  private orderFor(epoch: number): Int32Array {
    if (!this.shuffle) {
      const id = new Int32Array(this.blocks.rows);
      for (let i = 0; i < id.length; i++) id[i] = i;
      return id;
    }
    return Rng.fromState(this.rootState).split(`epoch-${epoch}`).permutation(this.blocks.rows);
  }

  next(): Batch {
    if (this.index >= this.batchesPerEpoch) {
      this.epoch++;
      this.index = 0;
      this.order = undefined;
    }
    this.order ??= this.orderFor(this.epoch);
    const { length: L, tokens, attentionMask } = this.blocks;
    const start = this.index * this.batchSize;
    const rows = this.order.slice(start, Math.min(start + this.batchSize, this.blocks.rows));
    const B = rows.length;
    const out = new Int32Array(B * L);
    const mask = attentionMask ? new Uint8Array(B * L) : undefined;
    for (let b = 0; b < B; b++) {
      const r = rows[b]!;
      out.set(tokens.subarray(r * L, (r + 1) * L), b * L);
      mask?.set(attentionMask!.subarray(r * L, (r + 1) * L), b * L);
    }
    const batch: Batch = {
      tokens: out,
      shape: [B, L],
      rows,
      epoch: this.epoch,
      index: this.index,
      ...(mask ? { attentionMask: mask } : {}),
    };
    this.index++;
    return batch;
  }
}
