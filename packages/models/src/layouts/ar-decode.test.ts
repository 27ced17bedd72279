import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, type Nd } from '@dlm/core';
import { arGenerate, type NextTokenLogits } from './ar-decode.ts';
import type { GenerateKnobs } from './layout.ts';

const V = 5;
/** A bigram toy: next-token logits from the last token, logits[v] = −|v − (last + 1) mod V| · 2. */
const bigram =
  (calls: { ids: number[][]; att: number[][] }[] = []): NextTokenLogits =>
  (ids, att) => {
    const [B, n] = ids.shape as [number, number];
    const rows = (a: Nd<Int32Array>) => Array.from({ length: B }, (_, b) => [...a.data.subarray(b * n, (b + 1) * n)]);
    calls.push({ ids: rows(ids), att: rows(att) });
    const out = new Float32Array(B * V);
    for (let b = 0; b < B; b++) {
      const want = (ids.data[b * n + n - 1]! + 1) % V;
      for (let v = 0; v < V; v++) out[b * V + v] = -Math.abs(v - want) * 2;
    }
    return out;
  };

const knobs = (k: Partial<GenerateKnobs> = {}): GenerateKnobs => ({
  genLength: 4,
  steps: 4,
  blockLength: 4,
  temperature: 0,
  remasking: 'low_confidence',
  cfgScale: 0,
  topK: 0,
  topP: 1,
  ...k,
});
const prompt: Nd<Int32Array> = { data: Int32Array.from([1, 2, 9, 3]), shape: [2, 2] };
const attention: Nd<Int32Array> = { data: Int32Array.from([1, 1, 0, 1]), shape: [2, 2] };

describe('arGenerate', () => {
  it('temperature 0 is argmax: each row follows its bigram chain; the model sees prompt + generated so far', () => {
    const calls: { ids: number[][]; att: number[][] }[] = [];
    const r = arGenerate(bigram(calls), { prompt, attention, rng: Rng.seeded(1), ...knobs() }, V);
    expect(r.ids.shape).toEqual([2, 4]);
    expect([...r.ids.data]).toEqual([3, 4, 0, 1, 4, 0, 1, 2]);
    expect(r.nfe).toBe(4);
    expect(calls[2]!.ids).toEqual([
      [1, 2, 3, 4],
      [9, 3, 4, 0],
    ]);
    expect(calls[2]!.att).toEqual([
      [1, 1, 1, 1],
      [0, 1, 1, 1],
    ]);
  });

  it('top-k 1 at any temperature is argmax; sampling is reproducible from the seed and differs across seeds', () => {
    const go = (seed: number, k: Partial<GenerateKnobs>) => [
      ...arGenerate(bigram(), { prompt, rng: Rng.seeded(seed), ...knobs({ genLength: 16, ...k }) }, V).ids.data,
    ];
    const greedy = go(0, {});
    expect(go(5, { temperature: 3, topK: 1 })).toEqual(greedy);
    expect(go(5, { temperature: 3, topP: 1e-6 })).toEqual(greedy);
    expect(go(7, { temperature: 3 })).toEqual(go(7, { temperature: 3 }));
    expect(go(7, { temperature: 3 })).not.toEqual(go(8, { temperature: 3 }));
  });

  it('refuses bad knobs by flag name', () => {
    const bad = (k: Partial<GenerateKnobs>, flag: RegExp) =>
      expect(() => arGenerate(bigram(), { prompt, rng: Rng.seeded(0), ...knobs(k) }, V)).toThrow(flag);
    bad({ topK: 1.5 }, /--top-k/);
    bad({ topP: 0 }, /--top-p/);
    bad({ temperature: -1 }, /--temperature/);
    bad({ genLength: 0 }, /--gen-length/);
    expect(() => arGenerate(() => new Float32Array(3), { prompt, rng: Rng.seeded(0), ...knobs() }, V)).toThrow(
      ConfigError,
    );
  });
});
