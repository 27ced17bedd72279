import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.ts';
import { CheckpointError } from '../errors.ts';
import { Rng } from '../rng.ts';
import { tf } from '../tf.ts';
import { ParamStore, withPlaceholderParams } from './param-store.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

function build(seed: number, order: 'ab' | 'ba' = 'ab'): ParamStore {
  const s = new ParamStore(Rng.seeded(seed));
  const a = () => s.add('blocks.0.attn_qkv.weight', [6, 2], { kind: 'normal', std: 0.5 });
  const b = () => s.add('blocks.0.mlp.0.bias', [3], { kind: 'uniform', bound: 0.1 });
  if (order === 'ab') {
    a();
    b();
  } else {
    b();
    a();
  }
  s.add('norm.weight', [2], { kind: 'ones' });
  s.add('rotary_emb.inv_freq', [1], { kind: 'values', data: [0.25] }, { trainable: false });
  return s;
}

describe('ParamStore', () => {
  it('seeded init: same seed → same values in any creation order; other seed → other values', () => {
    const [s1, s2, s3] = [build(7), build(7, 'ba'), build(8)];
    const w = (s: ParamStore) => Array.from(s.get('blocks.0.attn_qkv.weight').dataSync());
    expect(w(s1)).toEqual(w(s2));
    expect(w(s1)).not.toEqual(w(s3));
    const bias = Array.from(s1.get('blocks.0.mlp.0.bias').dataSync());
    expect(bias.every((x) => Math.abs(x) <= 0.1)).toBe(true);
    expect(Array.from(s1.get('rotary_emb.inv_freq').dataSync())).toEqual([0.25]);
    // Two stores with the same PyTorch names coexist (tfjs names are unique per store).
    expect(s1.get('norm.weight').name).not.toBe(s2.get('norm.weight').name);
    [s1, s2, s3].forEach((s) => s.dispose());
  });

  it('counts parameters (buffers only with all) and lists trainable names', () => {
    const s = build(1);
    expect(s.numParams()).toBe(12 + 3 + 2);
    expect(s.numParams({ all: true })).toBe(18);
    expect([...s.trainable().keys()]).toEqual(['blocks.0.attn_qkv.weight', 'blocks.0.mlp.0.bias', 'norm.weight']);
    expect(() => s.get('nope')).toThrow(
      /ParamStore.get: nope is not a parameter, expected one of blocks.0.attn_qkv.weight/,
    );
    expect(() => s.add('norm.weight', [2], { kind: 'zeros' })).toThrow(/already defined/);
    expect(() => new ParamStore().add('x', [2], { kind: 'normal', std: 1 })).toThrow(/Rng/);
    expect(() => s.add('v', [2], { kind: 'values', data: [1, 2, 3] })).toThrow(/v, expected 2 values/);
    expect(Array.from(s.add('c', [2], { kind: 'constant', value: -3 }).dataSync())).toEqual([-3, -3]);
    s.dispose();
  });

  it('load: by name, with a prefix, strict about missing / unexpected names and shapes', () => {
    const s = build(1);
    const dict = build(2).stateDict({ prefix: 'backbone.' });
    s.load(dict, { prefix: 'backbone.' });
    expect(Array.from(s.get('blocks.0.attn_qkv.weight').dataSync())).toEqual(
      Array.from(dict.get('backbone.blocks.0.attn_qkv.weight')!.data),
    );
    const missing = new Map(dict);
    missing.delete('backbone.norm.weight');
    missing.set('backbone.extra', { dtype: 'F32', shape: [1], data: new Float32Array(1) });
    expect(() => s.load(missing, { prefix: 'backbone.' })).toThrow(CheckpointError);
    expect(() => s.load(missing, { prefix: 'backbone.' })).toThrow(
      /missing backbone.norm.weight; unexpected backbone.extra/,
    );
    const bad = new Map(dict);
    bad.set('backbone.norm.weight', { dtype: 'F32', shape: [3], data: new Float32Array(3) });
    expect(() => s.load(bad, { prefix: 'backbone.' })).toThrow(/backbone.norm.weight, expected shape \[2\], got \[3\]/);
    s.load(missing, { prefix: 'backbone.', strict: false }); // partial load allowed when asked
  });

  it('valueAndGrads returns gradients by PyTorch name, none for buffers, no leaks', () => {
    const s = build(3);
    const before = tf.memory().numTensors;
    const { value, grads } = s.valueAndGrads(() =>
      tf.tidy(() =>
        tf.sum(
          tf.mul(tf.sum(s.get('blocks.0.attn_qkv.weight')), tf.add(s.get('norm.weight'), s.get('rotary_emb.inv_freq'))),
        ),
      ),
    );
    expect([...grads.keys()].sort()).toEqual(['blocks.0.attn_qkv.weight', 'norm.weight']);
    // d/dW Σ_j (ΣW)(n_j + c) = Σ_j (n_j + c) = 2·(1 + 0.25)
    expect(grads.get('blocks.0.attn_qkv.weight')!.dataSync()[0]).toBeCloseTo(2.5, 6);
    tf.dispose([value, ...grads.values()]);
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
  });

  it('withPlaceholderParams: zeros without random draws; the load replaces them (values, names, trainable kept, no leak)', () => {
    const s = withPlaceholderParams(() => build(3));
    expect(
      s
        .get('blocks.0.attn_qkv.weight')
        .dataSync()
        .every((v) => v === 0),
    ).toBe(true);
    expect(s.add('after', [1], { kind: 'ones' }).dataSync()[0]).toBe(1); // outside the scope: a normal init
    s.setTrainable('blocks.0.mlp.0.bias', false);
    const before = tf.memory().numTensors;
    const qkv = Float32Array.from({ length: 12 }, (_, i) => i / 4);
    s.load(
      new Map([
        ['blocks.0.attn_qkv.weight', { shape: [6, 2], data: qkv }],
        ['blocks.0.mlp.0.bias', { shape: [3], data: Float32Array.from([1, 2, 3]) }],
        ['norm.weight', { shape: [2], data: Float32Array.from([7, 8]) }],
        ['rotary_emb.inv_freq', { shape: [1], data: Float32Array.from([0.5]) }],
        ['after', { shape: [1], data: Float32Array.from([5]) }],
      ]),
    );
    expect(tf.memory().numTensors).toBe(before);
    expect([...s.get('blocks.0.attn_qkv.weight').dataSync()]).toEqual([...qkv]);
    expect([...s.get('blocks.0.mlp.0.bias').dataSync()]).toEqual([1, 2, 3]);
    expect(s.get('after').dataSync()[0]).toBe(5);
    expect(s.get('rotary_emb.inv_freq').dataSync()[0]).toBe(0.5);
    expect([...s.trainable().keys()]).toEqual(['blocks.0.attn_qkv.weight', 'norm.weight', 'after']);
    expect(s.get('blocks.0.attn_qkv.weight').name).toBe(`${s.id}/blocks.0.attn_qkv.weight`);
    s.dispose();
  });
});
