import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng, initBackend, tf } from '@dlm/core';
import { backboneMaxLength, backbones, buildBackbone } from './registry.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('backbone registry (every entry)', () => {
  for (const [name, def] of backbones) {
    it(`${name}: its test config builds, declares its max length, maps [B, L] ids to [B, L, V] logits`, () => {
      const slot = { name, ...def.testConfig };
      const L = backboneMaxLength(slot);
      expect(L).toBe(def.maxLength(def.testConfig));
      const before = tf.memory().numTensors;
      const o = { family: 'test', accepted: [name], vocabSize: 7, timeConditioning: false, rng: Rng.seeded(1) };
      const net = buildBackbone(slot, o);
      expect(net.name).toBe(name);
      expect(net.maxLength).toBe(L);
      const ids = tf.tensor2d(
        Int32Array.from({ length: 2 * L }, (_, i) => i % 7),
        [2, L],
        'int32',
      );
      const logits = tf.tidy(() => net.forward(ids, tf.zeros([2]) as tf.Tensor1D));
      ids.dispose();
      expect(logits.shape).toEqual([2, L, 7]);
      expect([...logits.dataSync()].every(Number.isFinite)).toBe(true);
      logits.dispose();
      net.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('the same init Rng gives the same weights; dropout draws from the train Rng only when the rate is > 0', () => {
    const slot = { name: 'dit', ...backbones.get('dit').testConfig, dropout: 0.5 };
    const o = { family: 'test', accepted: ['dit'], vocabSize: 7, timeConditioning: true };
    const a = buildBackbone(slot, { ...o, rng: Rng.seeded(2) });
    const b = buildBackbone(slot, { ...o, rng: Rng.seeded(2) });
    const run = (net: typeof a, train?: { rng: Rng }) =>
      tf.tidy(() => {
        const ids = tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32');
        return [...net.forward(ids, tf.tensor1d([0.5]), train).dataSync()];
      });
    expect(run(a)).toEqual(run(b));
    expect(run(a, { rng: Rng.seeded(3) })).toEqual(run(b, { rng: Rng.seeded(3) }));
    expect(run(a, { rng: Rng.seeded(3) })).not.toEqual(run(a));
    a.dispose();
    b.dispose();
  });

  it('names the accepted backbones and the known ones in its errors', () => {
    const o = { family: 'mdlm', accepted: ['dit'], vocabSize: 7, timeConditioning: false, rng: Rng.seeded(0) };
    expect(() => buildBackbone({ name: 'llada' }, o)).toThrow(ConfigError);
    expect(() => buildBackbone({ name: 'llada' }, o)).toThrow(/mdlm family: model\.name.*one of dit/);
    expect(() => backboneMaxLength({ name: 'ditt' })).toThrow(/one of dit, llada/);
    expect(() => backboneMaxLength({ length: 8 })).toThrow(/model\.name/);
    const llada = { name: 'llada', ...backbones.get('llada').testConfig };
    const timed = () => buildBackbone(llada, { ...o, accepted: ['llada'], timeConditioning: true });
    expect(timed).toThrow(/LLaDA sees no time/);
  });
});
