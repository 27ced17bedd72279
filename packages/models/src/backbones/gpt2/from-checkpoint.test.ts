// Gpt2Model.fromCheckpoint on folders as other writers store GPT-2: sharded (model.safetensors.index.json),
// F16 / BF16 weights, the `transformer.` prefix and BOOL causal-mask buffers (fixture: README §1, §8).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Rng,
  bf16Bits,
  bf16Value,
  f16Bits,
  f16Value,
  initBackend,
  tf,
  writeSafetensors,
  writeShardedSafetensors,
  type TensorInput,
} from '@dlm/core';
import { Gpt2Model } from './gpt2.ts';

const tiny = { vocabSize: 61, hidden: 16, heads: 2, layers: 2, maxPositions: 12 };
const config = {
  activation_function: 'gelu_new',
  architectures: ['GPT2LMHeadModel'],
  bos_token_id: 60,
  eos_token_id: 60,
  layer_norm_epsilon: 1e-5,
  model_type: 'gpt2',
  n_ctx: 12,
  n_embd: 16,
  n_head: 2,
  n_layer: 2,
  n_positions: 12,
  vocab_size: 61,
};
const dirs: string[] = [];

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('Gpt2Model.fromCheckpoint', () => {
  for (const [dtype, round] of [
    ['BF16', (x: number) => bf16Value(bf16Bits(x))],
    ['F16', (x: number) => f16Value(f16Bits(x))],
  ] as const) {
    it(`${dtype}, sharded, transformer. prefix, BOOL attn.bias: the logits of the rounded weights`, () => {
      const src = new Gpt2Model(tiny, Rng.seeded(1), { initStd: 0.3 });
      const P = tiny.maxPositions;
      const tensors = new Map<string, TensorInput>();
      const rounded = new Map<string, { shape: number[]; data: Float32Array }>();
      for (const [name, t] of src.params.stateDict()) {
        const data = Float32Array.from(t.data, round);
        tensors.set(`transformer.${name}`, { dtype, shape: [...t.shape], data });
        rounded.set(name, { shape: [...t.shape], data });
      }
      for (const i of [0, 1]) {
        tensors.set(`transformer.h.${i}.attn.bias`, {
          dtype: 'BOOL',
          shape: [1, 1, P, P],
          data: Uint8Array.from({ length: P * P }, (_, k) => (k % P <= Math.floor(k / P) ? 1 : 0)),
        });
      }
      const dir = mkdtempSync(join(tmpdir(), 'dlm-gpt2-'));
      dirs.push(dir);
      writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
      const { shards } = writeShardedSafetensors(dir, tensors, { maxShardBytes: 2000 });
      expect(shards.length).toBeGreaterThan(2);
      const { model, info } = Gpt2Model.fromCheckpoint(dir);
      expect(info.eosId).toBe(60);
      const want = new Gpt2Model(tiny, Rng.seeded(2));
      want.load(rounded);
      const x = tf.tensor2d([[3, 59, 0, 17, 42]], [1, 5], 'int32');
      const [a, b] = [model.logits(x), want.logits(x)];
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      // …and the rounding is real: the F32 source differs.
      const c = src.logits(x);
      expect(Math.max(...Array.from(c.dataSync(), (v, k) => Math.abs(v - a.dataSync()[k]!)))).toBeGreaterThan(0);
      tf.dispose([x, a, b, c]);
      [src, model, want].forEach((m) => m.dispose());
    });
  }

  it('a single model.safetensors whose config disagrees with the weights fails naming the tensor', () => {
    const src = new Gpt2Model(tiny, Rng.seeded(3));
    const dir = mkdtempSync(join(tmpdir(), 'dlm-gpt2-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, n_embd: 32 }));
    const tensors = new Map<string, TensorInput>(
      [...src.params.stateDict()].map(
        ([n, t]) => [n, { dtype: 'F32', shape: t.shape, data: t.data }] as [string, TensorInput],
      ),
    );
    writeSafetensors(join(dir, 'model.safetensors'), tensors);
    expect(() => Gpt2Model.fromCheckpoint(dir)).toThrow(/wte\.weight|wpe\.weight|shape/);
    src.dispose();
  });
});
