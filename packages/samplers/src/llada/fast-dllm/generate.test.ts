// Fast-dLLM generation on toy models whose logits at a position depend only on that position and its token, so a
// cached call is exact and the toy needs no network: termination when the model prefers the mask id, the two loop
// orders, the recorded calls of each cache mode. The reference cases run in models backbones/llada/fastdllm-parity.
import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, type Nd } from '@dlm/core';
import { rngLladaDraws } from '../draws.ts';
import { fastDllmGenerate, type FastDllmCallRecord } from './generate.ts';
import type { LladaKvModel } from './kv-model.ts';

const V = 8;
const MASK = 7;

/** logits(pos, token, row) → [V] for every position of the call. */
function toy(logitsAt: (pos: number, token: number, row: number) => number[]): LladaKvModel & { calls: string[] } {
  const calls: string[] = [];
  const run = (x: Nd<Int32Array>, from: number) => {
    const [b, n] = x.shape as [number, number];
    const out = new Float32Array(b * n * V);
    for (let r = 0; r < b; r++)
      for (let j = 0; j < n; j++) out.set(logitsAt(from + j, x.data[r * n + j]!, r), (r * n + j) * V);
    return out;
  };
  return {
    calls,
    predict: (x) => (calls.push('plain'), run(x, 0)),
    openSession() {
      let cached = 0;
      return {
        full: (x) => ((cached = x.shape[1]!), calls.push('full'), run(x, 0)),
        keepPrefix: (n) => void (cached = n),
        afterPrefix: (x) => (calls.push(`after ${cached}`), run(x, cached)),
        replace: (x, s) => (calls.push(`replace ${s}`), run(x, s)),
        get cachedLength() {
          return cached;
        },
        dispose: () => calls.push('dispose'),
      };
    },
  };
}

const prompt: Nd<Int32Array> = { data: Int32Array.from([1, 2, 3]), shape: [1, 3] };
const base = { genLength: 8, blockLength: 4, steps: 8, maskId: MASK, vocabSize: V };
/** A confident model: id (pos mod 7) with a large margin. */
const confident = (pos: number) => Array.from({ length: V }, (_, v) => (v === pos % 7 ? 20 : 0));
/** A model that prefers the mask id everywhere, then id (pos mod 7), with low confidence. */
const likesMask = (pos: number) => Array.from({ length: V }, (_, v) => (v === MASK ? 5 : v === pos % 7 ? 1 : 0));

describe('llada.fastDllmGenerate', () => {
  const rules = [{}, { threshold: 0.9 }, { factor: 1 }, { threshold: 0.01 }];
  for (const cache of ['none', 'prefix', 'dual']) {
    for (const loop of ['check-first', 'call-first']) {
      it(`terminates when the model predicts the mask id (${cache}, ${loop}): no mask left, best other ids`, () => {
        for (const rule of rules) {
          const m = toy(likesMask);
          const r = fastDllmGenerate(m, prompt, { ...base, cache, loop, ...rule });
          expect(Array.from(r.x.data)).toEqual([1, 2, 3, 3, 4, 5, 6, 0, 1, 2, 3]);
          // at most steps/blocks + block length calls per block (+1 for call-first)
          expect(r.nfe).toBeLessThanOrEqual(2 * (4 + 4 + 1));
          if (!('threshold' in rule) && !('factor' in rule)) {
            expect(r.nfe).toBe(8); // the schedule ends each block (its last call completes it)
          }
          if (cache !== 'none') expect(m.calls.at(-1)).toBe('dispose');
        }
      });
    }
  }

  it('call-first (24cc59e7) makes one more cached call when the first call completes the block; check-first does not', () => {
    const nfe = (cache: string, loop: string) =>
      fastDllmGenerate(toy(confident), prompt, { ...base, cache, loop, threshold: 0.5 }).nfe;
    expect(nfe('none', 'check-first')).toBe(2);
    expect(nfe('none', 'call-first')).toBe(2); // no cache: the loop order does not apply
    expect(nfe('prefix', 'check-first')).toBe(2);
    expect(nfe('prefix', 'call-first')).toBe(4);
    expect(nfe('dual', 'check-first')).toBe(2);
    expect(nfe('dual', 'call-first')).toBe(4);
    const a = fastDllmGenerate(toy(confident), prompt, { ...base, cache: 'dual', loop: 'call-first', threshold: 0.5 });
    const b = fastDllmGenerate(toy(confident), prompt, { ...base, cache: 'dual', loop: 'check-first', threshold: 0.5 });
    expect(Array.from(a.x.data)).toEqual(Array.from(b.x.data));
    expect(Array.from(a.x.data)).toEqual([1, 2, 3, 3, 4, 5, 6, 0, 1, 2, 3]);
  });

  it('records each call as the fixture does: plain, prefix (past = block start), dual (replace range)', () => {
    const rec = (cache: string) => {
      const out: Omit<FastDllmCallRecord, 'xAfter' | 'inputIds'>[] = [];
      const widths: number[] = [];
      fastDllmGenerate(toy(likesMask), prompt, {
        ...base,
        steps: 4,
        cache,
        onCall: ({ call, block, pastLength, replaceRange, inputIds }) => {
          out.push({ call, block, pastLength, ...(replaceRange ? { replaceRange } : {}) });
          widths.push(inputIds.shape[1]!);
        },
      });
      return { out, widths };
    };
    expect(rec('none').widths).toEqual([11, 11, 11, 11]);
    expect(rec('none').out.map((c) => c.pastLength)).toEqual([0, 0, 0, 0]);
    expect(rec('prefix').widths).toEqual([11, 8, 11, 4]);
    expect(rec('prefix').out.map((c) => c.pastLength)).toEqual([0, 3, 0, 7]);
    expect(rec('dual').widths).toEqual([11, 4, 11, 4]);
    expect(rec('dual').out).toEqual([
      { call: 0, block: 0, pastLength: 0 },
      { call: 1, block: 0, pastLength: 11, replaceRange: [3, 7] },
      { call: 2, block: 1, pastLength: 0 },
      { call: 3, block: 1, pastLength: 11, replaceRange: [7, 11] },
    ]);
  });

  it('batch 2 with a threshold: a row whose block is done commits nothing while the other finishes', () => {
    // Row 0 is confident everywhere; row 1 ties two ids everywhere (confidence 1/2 < τ), so one commit a call.
    const m = toy((pos, _tok, row) =>
      Array.from({ length: V }, (_, v) => (v === pos % 7 || (row === 1 && v === (pos + 1) % 7) ? 20 : 0)),
    );
    const x: Nd<Int32Array> = { data: Int32Array.from([1, 2, 6, 1]), shape: [2, 2] };
    const after: number[][] = [];
    const r = fastDllmGenerate(m, x, {
      ...base,
      genLength: 4,
      blockLength: 4,
      steps: 4,
      threshold: 0.9,
      onCall: (c) => after.push(Array.from(c.xAfter.data.subarray(0, 6))),
    });
    expect(Array.from(r.x.data)).toEqual([1, 2, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5]);
    expect(r.nfe).toBe(4);
    expect(after).toEqual(Array.from({ length: 4 }, () => [1, 2, 2, 3, 4, 5]));
  });

  it('samples with a temperature from draws (never the mask id), and names bad options', () => {
    const r = fastDllmGenerate(toy(likesMask), prompt, {
      ...base,
      cache: 'dual',
      threshold: 0.9,
      temperature: 1,
      draws: rngLladaDraws(Rng.seeded(1)),
    });
    expect(Array.from(r.x.data).slice(3)).not.toContain(MASK);
    expect(() => fastDllmGenerate(toy(confident), prompt, { ...base, temperature: 1 })).toThrow(/draws/);
    expect(() => fastDllmGenerate(toy(confident), prompt, { ...base, cache: 'full' })).toThrow(
      /one of none, prefix, dual/,
    );
    expect(() => fastDllmGenerate(toy(confident), prompt, { ...base, loop: 'v3' })).toThrow(
      /one of check-first, call-first/,
    );
    expect(() => fastDllmGenerate(toy(confident), prompt, { ...base, threshold: 0.5, factor: 2 })).toThrow(ConfigError);
    expect(() => fastDllmGenerate(toy(confident), prompt, { ...base, steps: 3 })).toThrow(/a multiple of the number/);
  });
});
