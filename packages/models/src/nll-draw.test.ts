import { describe, expect, it } from 'vitest';
import { nllDrawOfTokens, tokensPerRow } from './nll-draw.ts';

describe('nllDrawOfTokens', () => {
  it('sums rows and counts real tokens (attention) or L', () => {
    const ids = { data: new Int32Array(6), shape: [2, 3] };
    const per = [1, 2, 3, 0.5, 0.25, 0];
    expect(nllDrawOfTokens(per, { ids })).toEqual({ nats: Float64Array.of(6, 0.75), tokens: Float64Array.of(3, 3) });
    const attention = { data: Uint8Array.of(1, 1, 1, 1, 1, 0), shape: [2, 3] };
    expect([...tokensPerRow({ ids, attention })]).toEqual([3, 2]);
  });
});
