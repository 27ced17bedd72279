import { describe, expect, it } from 'vitest';
import { embedTokens, roundToEmbedding } from './rounding.ts';

// V = 3 rows in D = 2.
const E = { data: Float64Array.of(0, 0, 1, 1, -1, 2), shape: [3, 2] };

describe('roundToEmbedding', () => {
  it('maps each vector to the nearest row (squared L2)', () => {
    const x = { data: Float64Array.of(0.1, -0.2, 0.9, 0.7, -0.8, 1.5, 5, 5), shape: [2, 2, 2] };
    const r = roundToEmbedding(x, E);
    expect(Array.from(r.tokens.data)).toEqual([0, 1, 2, 1]);
    expect(r.tokens.shape).toEqual([2, 2]);
    expect(Array.from(r.embeddings.data)).toEqual([0, 0, 1, 1, -1, 2, 1, 1]);
  });
  it('takes the first row on a tie', () => {
    const x = { data: Float64Array.of(0.5, 0.5), shape: [1, 1, 2] };
    expect(Array.from(roundToEmbedding(x, E).tokens.data)).toEqual([0]);
  });
  it('rejects an embedding of another width', () => {
    const x = { data: new Float64Array(3), shape: [1, 1, 3] };
    expect(() => roundToEmbedding(x, E)).toThrow(/gaussian\.roundToEmbedding: x and embedding.*width 2/);
  });
});

describe('embedTokens', () => {
  it('gathers rows and checks ids', () => {
    const r = embedTokens({ data: Int32Array.of(2, 0), shape: [1, 2] }, E);
    expect(r.shape).toEqual([1, 2, 2]);
    expect(Array.from(r.data)).toEqual([-1, 2, 0, 0]);
    expect(() => embedTokens({ data: Int32Array.of(3), shape: [1, 1] }, E)).toThrow(
      /gaussian\.embedTokens: input_ids\[0\].*\[0, 3\)/,
    );
  });
});
