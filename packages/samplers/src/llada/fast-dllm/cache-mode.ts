// What a Fast-dLLM cache mode decides: which model call the block's first call and its later calls are
// (fixtures/checkpoints/README.md §7.5–7.7). One file per mode, one line in cache-modes.ts.
import type { Nd } from '@dlm/core';
import type { LogitsArray } from '../types.ts';
import type { LladaKvModel, LladaKvSession } from './kv-model.ts';

/** The state a call sees: x [B, L] as it is now, the current block [start, end). */
export interface BlockCallContext {
  model: LladaKvModel;
  /** Undefined for a mode without cache. */
  session: LladaKvSession | undefined;
  x: Nd<Int32Array>;
  start: number;
  end: number;
}

/** One model call: its logits [B, n, V] cover positions [from, from + n); what went in, as the fixture records. */
export interface BlockCall {
  logits: LogitsArray;
  from: number;
  input: Nd<Int32Array>;
  /** Cached positions the call attended to (0 = a plain call). */
  pastLength: number;
  /** Absolute positions [s, e) the call overwrote in the cache (dual cache). */
  replaceRange?: [number, number];
}

export interface CacheMode {
  readonly name: string;
  /** One line for help text. */
  readonly describe: string;
  /** Whether the mode opens a KV cache (and so whether the loop order applies to its later calls). */
  readonly cached: boolean;
  /** The block's first call (always on the whole of x). */
  first(ctx: BlockCallContext): BlockCall;
  /** Every later call of the block. */
  next(ctx: BlockCallContext): BlockCall;
}

/** Columns [from, to) of x [B, L] → [B, to − from]. */
export function columns(x: Nd<Int32Array>, from: number, to: number): Nd<Int32Array> {
  const [b, l] = x.shape as [number, number];
  const n = to - from;
  const out = new Int32Array(b * n);
  for (let r = 0; r < b; r++) out.set(x.data.subarray(r * l + from, r * l + to), r * n);
  return { data: out, shape: [b, n] };
}

/** A full call of the session on a copy of x (the first call of a cached mode). */
export function fullCachedCall(ctx: BlockCallContext): BlockCall {
  const input: Nd<Int32Array> = { data: Int32Array.from(ctx.x.data), shape: [...ctx.x.shape] };
  return { logits: ctx.session!.full(input), from: 0, input, pastLength: 0 };
}
