// The cached forward against the plain one: with a cache filled from the same ids, the logits of the positions a
// cached call runs equal the plain forward's at those positions (prefix: [s, L); dual: [s, e)); with one layer the
// keys and values of a position depend on its token only, so the dual cache stays exact after the block changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng, applyRotary, initBackend, rotaryTables, shutdownBackend, tf } from '@dlm/core';
import { LladaKvCache } from './kv-cache.ts';
import { lladaKvForward } from './kv-forward.ts';
import { LladaModel } from './llada.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(async () => {
  await shutdownBackend();
});

const V = 13;
const ids = (b: number, l: number, seed: number) => {
  const r = Rng.seeded(seed);
  return Int32Array.from({ length: b * l }, () => r.int(0, V - 1));
};
const cols = (a: Int32Array, b: number, l: number, s: number, e: number) =>
  Int32Array.from({ length: b * (e - s) }, (_, i) => a[Math.floor(i / (e - s)) * l + s + (i % (e - s))]!);
/** Logits [B, L, V] → positions [s, e): [B, e − s, V]. */
const slicePos = (x: Float32Array, b: number, l: number, s: number, e: number) =>
  Float32Array.from({ length: b * (e - s) * V }, (_, i) => {
    const r = Math.floor(i / ((e - s) * V));
    const rest = i % ((e - s) * V);
    return x[(r * l + s) * V + rest]!;
  });
const plain = (m: LladaModel, a: Int32Array, b: number, l: number) =>
  tf.tidy(() => m.forward(tf.tensor2d(a, [b, l], 'int32')).dataSync() as Float32Array);
const cached = (
  m: LladaModel,
  cache: LladaKvCache,
  a: Int32Array,
  b: number,
  n: number,
  call: Parameters<typeof lladaKvForward>[3],
) => tf.tidy(() => lladaKvForward(m, tf.tensor2d(a, [b, n], 'int32'), cache, call).dataSync() as Float32Array);
const maxDiff = (a: Float32Array, b: Float32Array) => {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
};

/** A small LLaDA model (2 heads, width 16) and a KV cache of its layers, disposed after `f`. */
function withModel(layers: number, seed: number, f: (m: LladaModel, cache: LladaKvCache) => void): void {
  const m = new LladaModel({ vocabSize: V, hidden: 16, heads: 2, layers, mlpHidden: 24 }, Rng.seeded(seed), 0.3);
  const cache = new LladaKvCache(layers);
  try {
    f(m, cache);
  } finally {
    cache.dispose();
    m.dispose();
  }
}

/** Fills the cache with a full call on x, changes the block [3, 7) of x, and runs the dual call on it. */
function changedBlockDual(m: LladaModel, cache: LladaKvCache) {
  const [b, l, s, e] = [1, 10, 3, 7];
  const x = ids(b, l, 9);
  cached(m, cache, x, b, l, { kind: 'full' });
  const y = Int32Array.from(x);
  for (let j = s; j < e; j++) y[j] = (y[j]! + 5) % V;
  const call = () => cached(m, cache, cols(y, b, l, s, e), b, e - s, { kind: 'replace', start: s });
  return { l, call, dual: call(), plainBlock: slicePos(plain(m, y, b, l), b, l, s, e) };
}

describe('lladaKvForward', () => {
  for (const kvHeads of [4, 2]) {
    it(`full / prefix / dual calls equal the plain forward on their positions (${kvHeads} kv heads of 4)`, () => {
      const m = new LladaModel(
        { vocabSize: V, hidden: 16, heads: 4, kvHeads, layers: 3, mlpHidden: 24 },
        Rng.seeded(3),
        0.3,
      );
      const cache = new LladaKvCache(3);
      try {
        const before = tf.memory().numTensors;
        const [b, l, s, e] = [2, 12, 4, 8];
        const x = ids(b, l, 7);
        const ref = plain(m, x, b, l);
        expect(maxDiff(cached(m, cache, x, b, l, { kind: 'full' }), ref)).toBeLessThan(1e-5);
        expect(cache.length).toBe(l);
        // dual: the block [s, e) against the full cache
        const dual = cached(m, cache, cols(x, b, l, s, e), b, e - s, { kind: 'replace', start: s });
        expect(maxDiff(dual, slicePos(ref, b, l, s, e))).toBeLessThan(1e-5);
        expect(cache.length).toBe(l);
        // prefix: positions [s, L) after the cached [0, s)
        cache.keepPrefix(s);
        expect(cache.length).toBe(s);
        const pre = cached(m, cache, cols(x, b, l, s, l), b, l - s, { kind: 'append' });
        expect(maxDiff(pre, slicePos(ref, b, l, s, l))).toBeLessThan(1e-5);
        expect(cache.length, 'an append call leaves the cache as it was').toBe(s);
        // The logits are not trivially equal: another input gives other logits.
        expect(maxDiff(plain(m, ids(b, l, 8), b, l), ref)).toBeGreaterThan(1e-2);
        cache.dispose();
        expect(tf.memory().numTensors).toBe(before);
      } finally {
        cache.dispose();
        m.dispose();
      }
    });
  }

  it('an empty prefix (no prompt, first block): the append call is the plain forward', () => {
    withModel(2, 5, (m, cache) => {
      const x = ids(1, 6, 2);
      cached(m, cache, x, 1, 6, { kind: 'full' });
      cache.keepPrefix(0);
      expect(cache.filled).toBe(true);
      expect(cache.length).toBe(0);
      expect(maxDiff(cached(m, cache, x, 1, 6, { kind: 'append' }), plain(m, x, 1, 6))).toBeLessThan(1e-5);
    });
  });

  it('one layer: after the block changes, the dual call still equals the plain forward (k, v are per token)', () => {
    withModel(1, 4, (m, cache) => {
      const { l, call, dual, plainBlock } = changedBlockDual(m, cache);
      expect(maxDiff(dual, plainBlock)).toBeLessThan(1e-5);
      // The cache keeps keys before rotary; its rotated keys equal rotating them at 0 … L−1, to the bit.
      const entry = cache.get(0);
      const rotated = tf.tidy(() => applyRotary(entry.k, rotaryTables(l, m.invFreq)).dataSync() as Float32Array);
      expect(maxDiff(rotated, entry.kr.dataSync() as Float32Array)).toBe(0);
      expect(maxDiff(rotated, entry.k.dataSync() as Float32Array)).toBeGreaterThan(1e-3);
      // The replaced entries stay in the cache: the same call again gives the same logits.
      expect(maxDiff(call(), dual)).toBe(0);
    });
  });

  it('more layers: after the block changes, the stale cache gives other logits than the plain forward', () => {
    withModel(2, 4, (m, cache) => {
      const { dual, plainBlock } = changedBlockDual(m, cache);
      expect(maxDiff(dual, plainBlock)).toBeGreaterThan(1e-4);
    });
  });

  it('names a cached call without a cache, and a replace range outside it', () => {
    withModel(1, 4, (m, cache) => {
      expect(() => cached(m, cache, ids(1, 4, 1), 1, 4, { kind: 'append' })).toThrow(ConfigError);
      expect(() => cached(m, cache, ids(1, 4, 1), 1, 4, { kind: 'append' })).toThrow(/filled by a full call/);
      cached(m, cache, ids(1, 6, 1), 1, 6, { kind: 'full' });
      expect(() => cached(m, cache, ids(1, 4, 1), 1, 4, { kind: 'replace', start: 3 })).toThrow(
        /a range \[start, start \+ 4\) inside the 6 cached positions/,
      );
      expect(() => cache.keepPrefix(7)).toThrow(/an integer in \[0, 6\]/);
    });
  });
});
