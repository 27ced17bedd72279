import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng, initBackend, tf, writeSafetensors, type TensorInput } from '@dlm/core';
import { backboneMaxLength, buildBackbone } from '../registry.ts';
import { Gpt2Model } from './gpt2.ts';

const dirs: string[] = [];
beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const knobs = { n_embd: 16, n_layer: 2, n_head: 2, n_positions: 10 };
const o = { family: 'ar', accepted: ['gpt2'], vocabSize: 11, timeConditioning: false };
const ids = [
  [3, 1, 4, 1, 5],
  [9, 2, 6, 5, 3],
];

/** A checkpoint folder (config.json + model.safetensors) of a Gpt2Model drawn with `seed`. */
function checkpoint(seed: number): string {
  const src = new Gpt2Model({ vocabSize: 11, hidden: 16, heads: 2, layers: 2, maxPositions: 10 }, Rng.seeded(seed));
  const tensors = new Map<string, TensorInput>();
  for (const [name, t] of src.params.stateDict())
    tensors.set(name, { dtype: 'F32', shape: [...t.shape], data: t.data });
  src.dispose();
  const dir = mkdtempSync(join(tmpdir(), 'dlm-gpt2-backbone-'));
  dirs.push(dir);
  const config = { model_type: 'gpt2', vocab_size: 11, n_embd: 16, n_layer: 2, n_head: 2, n_positions: 10 };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  writeSafetensors(join(dir, 'model.safetensors'), tensors);
  return dir;
}

describe('gpt2 backbone', () => {
  it('from knobs: GPT-2 init of the Rng; decode with the cache = the full forward, σ ignored', () => {
    const net = buildBackbone({ name: 'gpt2', ...knobs }, { ...o, rng: Rng.seeded(2) });
    const ref = new Gpt2Model({ vocabSize: 11, hidden: 16, heads: 2, layers: 2, maxPositions: 10 }, Rng.seeded(2));
    expect(net.maxLength).toBe(10);
    const x = tf.tensor2d(ids, undefined, 'int32');
    const full = tf.tidy(() => [...net.forward(x, tf.tensor1d([1, 2])).dataSync()]);
    expect(full).toEqual(tf.tidy(() => [...ref.logits(x).dataSync()]));
    const first = net.decode!(tf.slice(x, [0, 0], [2, 3]) as tf.Tensor2D, {});
    const next = net.decode!(tf.slice(x, [0, 3], [2, 2]) as tf.Tensor2D, { past: first.past });
    expect(next.past.length).toBe(5);
    const last = [...next.logits.dataSync()]; // positions 3, 4
    full.filter((_, i) => Math.floor(i / 11) % 5 >= 3).forEach((v, i) => expect(last[i]!).toBeCloseTo(v, 4));
    for (const t of [x, first.logits, next.logits]) t.dispose();
    first.past.dispose();
    next.past.dispose();
    net.dispose();
    ref.dispose();
  });

  it('init_from: loads the folder, its config gives the sizes; disagreeing knobs and vocabularies are errors', () => {
    const dir = checkpoint(7);
    expect(backboneMaxLength({ name: 'gpt2', init_from: dir })).toBe(10);
    const net = buildBackbone({ name: 'gpt2', init_from: dir, n_embd: 16 }, { ...o, rng: Rng.seeded(0) });
    const ref = new Gpt2Model({ vocabSize: 11, hidden: 16, heads: 2, layers: 2, maxPositions: 10 }, Rng.seeded(7));
    const x = tf.tensor2d(ids, undefined, 'int32');
    expect(tf.tidy(() => [...net.forward(x, tf.zeros([2])).dataSync()])).toEqual(
      tf.tidy(() => [...ref.logits(x).dataSync()]),
    );
    x.dispose();
    net.dispose();
    ref.dispose();
    const bad = () => buildBackbone({ name: 'gpt2', init_from: dir, n_layer: 3 }, { ...o, rng: Rng.seeded(0) });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/model\.n_layer/);
    expect(() => buildBackbone({ name: 'gpt2', init_from: dir }, { ...o, vocabSize: 12, rng: Rng.seeded(0) })).toThrow(
      /vocab_size 12/,
    );
    expect(() => backboneMaxLength({ name: 'gpt2', init_from: join(dir, 'nope') })).toThrow(/init_from/);
  });
});
