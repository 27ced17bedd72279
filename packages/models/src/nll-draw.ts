// From per-token nats [B·L] (row-major, padding already 0) to the per-sequence NllDraw every family's `nll`
// returns: nats[b] = Σ_l per[b, l], tokens[b] = the real tokens of row b (attention 1, or L without a mask).
import type { NllDraw, TokenBatch } from './family.ts';

/** Real tokens per row: Σ_l attention[b, l] (L without an attention mask). */
export function tokensPerRow(batch: TokenBatch): Float64Array {
  const [b, l] = batch.ids.shape as [number, number];
  const tokens = new Float64Array(b);
  for (let i = 0; i < b * l; i++) tokens[Math.floor(i / l)]! += batch.attention ? batch.attention.data[i]! : 1;
  return tokens;
}

/** Sums per-token nats [B·L] into rows. */
export function nllDrawOfTokens(per: ArrayLike<number>, batch: TokenBatch): NllDraw {
  const [b, l] = batch.ids.shape as [number, number];
  const nats = new Float64Array(b);
  for (let i = 0; i < b * l; i++) nats[Math.floor(i / l)]! += per[i]!;
  return { nats, tokens: tokensPerRow(batch) };
}
