// Retokenization (documents cut at the model's specials, the evaluator's BOS first, MDLM's counted positions) and
// windowing (every position ≥ 1 scored exactly once, with at least W − ⌊W/2⌋ tokens of context after the first
// window), checked with a context-free fake evaluator whose NLL of a position is known.
import { describe, expect, it } from 'vitest';
import { Rng } from '@dlm/core';
import type { Tokenizer } from '@dlm/data';
import type { NllDraw, TokenBatch } from '@dlm/models';
import { retokenize, scoreSamples, scoreWindows, type Retokenized } from './gen-ppl-score.ts';

/** A character tokenizer: id = char code − 96 ('a' = 1), ids ≥ 27 are specials (dropped by decode 'skip'). */
const chars: Tokenizer = {
  name: 'test-chars',
  vocabSize: 40,
  specials: {},
  encode: (t) => Int32Array.from([...t].map((c) => c.charCodeAt(0) - 96)),
  decode: (ids) =>
    Array.from(ids)
      .filter((i) => i < 27)
      .map((i) => String.fromCharCode(i + 96))
      .join(''),
  state: () => ({ name: 'test-chars', version: 1, options: {} }),
};
/** The evaluator's tokenizer: one id per pair of characters (ids 100 + …), to see the retokenization. */
const pairs: Tokenizer = {
  ...chars,
  name: 'test-pairs',
  encode: (t) => Int32Array.from(Array.from({ length: Math.ceil(t.length / 2) }, (_, i) => 100 + i)),
};

describe('retokenize', () => {
  it("cuts at the model's specials, starts with the evaluator's BOS and puts its EOS at document ends", () => {
    // Model ids: BOS 30, "abc", EOS 31, "de", PAD 32, (nothing), EOS 31 — breaks are {30, 31, 32}.
    const ids = [30, 1, 2, 3, 31, 4, 5, 32, 31];
    const r = retokenize(ids, new Set([30, 31, 32]), chars, chars, { bos: 37, eos: 38 });
    expect([...r.ids]).toEqual([37, 1, 2, 3, 38, 4, 5, 38]);
    // BOS ≠ EOS: the first EOS is scored, the second (running EOS count 2) is not; position 0 never.
    expect([...r.weights]).toEqual([0, 1, 1, 1, 1, 1, 1, 0]);
    // BOS = EOS (GPT-2): the count starts at 1 on position 0, so no EOS is scored.
    const g = retokenize(ids, new Set([30, 31, 32]), chars, chars, { bos: 38, eos: 38 });
    expect([...g.ids]).toEqual([38, 1, 2, 3, 38, 4, 5, 38]);
    expect([...g.weights]).toEqual([0, 1, 1, 1, 0, 1, 1, 0]);
    // With another evaluator tokenizer each document is re-encoded from its text.
    const p = retokenize([1, 2, 3, 31, 4], new Set([31]), chars, pairs, { bos: 37, eos: 38 });
    expect([...p.ids]).toEqual([37, 100, 101, 38, 100]);
  });
});

describe('scoreWindows', () => {
  it('scores every position ≥ 1 exactly once, with at least W − ⌊W/2⌋ tokens of context after the first window', () => {
    for (const [n, w] of [
      [1, 4],
      [4, 4],
      [5, 4],
      [23, 8],
      [24, 7],
      [100, 2],
    ] as const) {
      const r: Retokenized = { ids: new Int32Array(n), weights: new Uint8Array(n).fill(1).fill(0, 0, 1) };
      const ws = scoreWindows(0, r, w);
      const seen = new Array<number>(n).fill(0);
      for (const x of ws) {
        expect(x.end - x.start).toBeLessThanOrEqual(w);
        expect(x.weights[0]).toBe(0); // a window's first token is context only
        x.weights.forEach((v, k) => {
          if (!v) return;
          seen[x.start + k]!++;
          if (x.start > 0) expect(x.start + k - x.start).toBeGreaterThanOrEqual(w - Math.floor(w / 2));
        });
      }
      expect(seen, `n ${n}, w ${w}`).toEqual([0, ...new Array<number>(n - 1).fill(1)]);
      expect(ws.length).toBe(n <= w ? 1 : 1 + Math.ceil((n - w) / Math.floor(w / 2)));
    }
  });
});

describe('scoreSamples', () => {
  it('sums the counted positions of every window of every sample (context-free evaluator: nats = id + 1)', () => {
    const fake = {
      nll(batch: TokenBatch): NllDraw {
        const [b, l] = batch.ids.shape as [number, number];
        const nats = new Float64Array(b);
        const tokens = new Float64Array(b);
        for (let i = 0; i < b * l; i++) {
          const a = batch.attention!.data[i]!;
          nats[Math.floor(i / l)]! += a * (batch.ids.data[i]! + 1);
          tokens[Math.floor(i / l)]! += a;
        }
        return { nats, tokens };
      },
    };
    const samples = [
      retokenize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], new Set([31]), chars, chars, { bos: 37, eos: 38 }),
      retokenize([30, 5, 31, 6], new Set([30, 31]), chars, chars, { bos: 37, eos: 38 }),
    ];
    const scores = scoreSamples(fake, samples, { window: 4, batchSize: 3, padId: 0, rng: Rng.seeded(0) });
    expect(scores[0]).toEqual({ nats: ((2 + 12) * 11) / 2, tokens: 11 });
    expect(scores[1]).toEqual({ nats: 6 + 39 + 7, tokens: 3 });
  });
});
