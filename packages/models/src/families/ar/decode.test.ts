import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng, initBackend } from '@dlm/core';
import { buildBackbone } from '../../backbones/registry.ts';
import { arDecode } from './decode.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const V = 7;
const o = { family: 'ar', accepted: ['causal-dit', 'gpt2'], vocabSize: V, timeConditioning: false, rng: Rng.seeded(1) };
const argmax = (logits: Float32Array, [b, v]: [number, number]) =>
  Int32Array.from({ length: b }, (_, i) => {
    let best = 0;
    for (let j = 1; j < v; j++) if (logits[i * v + j]! > logits[i * v + best]!) best = j;
    return best;
  });

describe('arDecode', () => {
  it('NFE: one call per token, and one per row and token for padded rows on a backbone without a padding mask', () => {
    const net = buildBackbone({ name: 'causal-dit', hidden_size: 16, n_heads: 2, n_blocks: 1, length: 8 }, o);
    const context = { data: Int32Array.from([1, 2, 0, 3]), shape: [2, 2] };
    const plain = arDecode(net, { context, newTokens: 3, pick: argmax, kvCache: true });
    expect(plain.nfe).toBe(3);
    expect(plain.ids.shape).toEqual([2, 3]);
    const attention = { data: Int32Array.from([1, 1, 0, 1]), shape: [2, 2] };
    const steps: number[] = [];
    const padded = arDecode(net, {
      context,
      attention,
      newTokens: 3,
      pick: argmax,
      kvCache: true,
      onStep: (_s, nfe) => steps.push(nfe),
    });
    expect(steps).toEqual([2, 4, 6]);
    expect([...padded.ids.data.subarray(0, 3)]).toEqual([...plain.ids.data.subarray(0, 3)]); // row 0 has no padding
    expect(() => arDecode(net, { context, newTokens: 8, pick: argmax, kvCache: false })).toThrow(ConfigError);
    net.dispose();
  });

  it('the picker sees the MASK column at −1000 (MDLM AR.forward)', () => {
    const net = buildBackbone({ name: 'gpt2', n_embd: 8, n_layer: 1, n_head: 2, n_positions: 8 }, o);
    const context = { data: Int32Array.from([1, 2]), shape: [2, 1] };
    const seen: number[] = [];
    const pick = (logits: Float32Array, shape: [number, number]) => {
      for (let i = 0; i < shape[0]; i++) seen.push(logits[i * V + 4]!);
      return Int32Array.from({ length: shape[0] }, () => 4);
    };
    arDecode(net, { context, newTokens: 3, pick, kvCache: true, maskId: 4 });
    expect(seen).toEqual(new Array(6).fill(-1000));
    net.dispose();
  });
});
