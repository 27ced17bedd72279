// The train batches of a session and their exact restore: the dataset's packed blocks (BlockLoader),
// or the SFT pairs of `data.pairs` with each batch's prompt mask (PairLoader). Both share the loader
// state shape, so checkpoints and resume work the same way.
import { BlockLoader, PairLoader, type LoaderState } from '@dlm/data';
import type { Session } from './session.ts';
import type { BatchSource } from './train-loop.ts';

export interface TrainSource {
  /** Rows one epoch visits (blocks or pairs). */
  rows: number;
  first: BatchSource<LoaderState>;
  restore(state: LoaderState): BatchSource<LoaderState>;
}

export function trainSourceOf(s: Session): TrainSource {
  const opts = { batchSize: s.config.loader.batch_size };
  const rng = s.rng.split('data');
  if (s.pairs) {
    const packed = s.pairs.train;
    return {
      rows: packed.shape[0],
      first: PairLoader.create(packed, opts, rng),
      restore: (st) => PairLoader.restore(packed, opts, st),
    };
  }
  const blocks = s.data.blocks('train');
  return {
    rows: blocks.rows,
    first: new BlockLoader(blocks, opts, rng),
    restore: (st) => BlockLoader.restore(blocks, opts, st),
  };
}
