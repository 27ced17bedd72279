// Packed blocks: fixed-length rows ready for batching.
export interface PackedBlocks {
  rows: number;
  length: number;
  tokens: Int32Array; // [rows, length] row-major
  /** 1 on real tokens, 0 on padding ([rows, length]); absent when every position is real. */
  attentionMask?: Uint8Array;
  /** What packing dropped or cut, for the run log. */
  stats: { documents: number; droppedTokens: number; truncatedDocuments: number };
}
