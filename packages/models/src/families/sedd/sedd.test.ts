import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng, initBackend, tf } from '@dlm/core';
import { loglinear as loglinearSchedule } from '@dlm/schedules';
import { families } from '../index.ts';
import { buildSedd, seddFamily } from './sedd.ts';

const loglinear = loglinearSchedule({ eps: 1e-3 });
const V = 12,
  MASK = 11,
  L = 8;
const model = {
  name: 'dit',
  hidden_size: 16,
  cond_dim: 8,
  n_heads: 2,
  n_blocks: 1,
  length: L,
  init: 'random',
  dropout: 0,
};

function build(family: Record<string, unknown> = {}) {
  const uniform = family.graph === 'uniform';
  return buildSedd({
    family,
    model,
    noise: loglinear,
    vocab: uniform ? { size: V } : { size: V, maskId: MASK },
    rng: Rng.seeded(3),
  });
}
// Data ids never use the mask (ids < MASK).
const batch = { ids: { data: Int32Array.from({ length: 3 * L }, (_, i) => (i * 7) % MASK), shape: [3, L] } };

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe.each(['absorb', 'uniform'] as const)('SEDD family, graph %s', (graph) => {
  it('training loss = Σ of the per-sequence NELBO draw / tokens (same Rng); the bound is positive', () => {
    const m = build({ graph });
    const loss = m.trainLoss(batch, Rng.seeded(1));
    const draw = m.nll(batch, Rng.seeded(1));
    const total = draw.nats.reduce((a, b) => a + b, 0);
    expect([...draw.tokens]).toEqual([L, L, L]);
    for (const n of draw.nats) expect(n).toBeGreaterThan(0);
    expect(loss.dataSync()[0]!).toBeCloseTo(total / (3 * L), 4);
    // Another Rng draws another t: a different value (the draw is really stochastic).
    const other = m.nll(batch, Rng.seeded(2)).nats;
    expect(other[0]).not.toBeCloseTo(draw.nats[0]!, 4);
    loss.dispose();
    m.dispose();
  });

  it('gradients are finite and reach the network', () => {
    const m = build({ graph });
    const { value, grads } = m.params.valueAndGrads(() => m.trainLoss(batch, Rng.seeded(2)));
    expect(Number.isFinite(value.dataSync()[0]!)).toBe(true);
    expect(grads.size).toBeGreaterThan(10);
    let nonzero = 0;
    grads.forEach((g) => {
      const d = g.dataSync();
      expect(d.every(Number.isFinite)).toBe(true);
      if (d.some((x) => x !== 0)) nonzero++;
    });
    expect(nonzero).toBeGreaterThan(5);
    value.dispose();
    grads.forEach((g) => g.dispose());
    m.dispose();
  });

  it.each(['euler', 'analytic'])(
    '%s samples have shape [num, length], NFE = steps + 1 with the denoiser, no leaks',
    (sampler) => {
      const m = build({ graph });
      const before = tf.memory().numTensors;
      const seen: number[] = [];
      const r = m.sample({
        num: 2,
        length: L,
        steps: 10,
        sampler,
        rng: Rng.seeded(5),
        onStep: (_k, nfe) => seen.push(nfe),
      });
      expect(r.ids.shape).toEqual([2, L]);
      const top = graph === 'absorb' ? MASK : V; // absorb: no mask left after the denoiser
      expect([...r.ids.data].every((x) => Number.isInteger(x) && x >= 0 && x < top)).toBe(true);
      expect(r.nfe).toBe(11);
      expect(seen).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
      const again = m.sample({ num: 2, length: L, steps: 10, sampler, rng: Rng.seeded(5) });
      expect([...again.ids.data]).toEqual([...r.ids.data]);
      expect(tf.memory().numTensors).toBe(before);
      m.dispose();
    },
  );

  it('no tensor leaks across training and bound steps', () => {
    const m = build({ graph });
    const step = (k: number) => {
      const { value, grads } = m.params.valueAndGrads(() => m.trainLoss(batch, Rng.seeded(10 + k)));
      value.dispose();
      grads.forEach((g) => g.dispose());
      m.nll(batch, Rng.seeded(20 + k));
    };
    step(0);
    const before = tf.memory().numTensors;
    step(1);
    step(2);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});

describe('SEDD family configuration', () => {
  it('is registered as sedd; absorb asks for a mask, uniform does not', () => {
    expect(families.get('sedd')).toBe(seddFamily);
    expect(seddFamily.specialsFor!({})).toContain('mask');
    expect(seddFamily.specialsFor!({ graph: 'absorb' })).toContain('mask');
    expect(seddFamily.specialsFor!({ graph: 'uniform' })).not.toContain('mask');
    expect(seddFamily.schema.parse({})).toEqual({
      graph: 'absorb',
      sampling_eps: 1e-3,
      noise_removal: true,
      sampling_final_eps: 1e-5,
    });
  });

  it('scale_by_sigma: default on for absorb (changes the loss), off for uniform; uniform + true is a ConfigError naming the key', () => {
    const on = build({ graph: 'absorb' }),
      off = build({ graph: 'absorb', scale_by_sigma: false });
    expect(on.trainLoss(batch, Rng.seeded(4)).dataSync()[0]).not.toBeCloseTo(
      off.trainLoss(batch, Rng.seeded(4)).dataSync()[0]!,
      3,
    );
    on.dispose();
    off.dispose();
    const bad = () => build({ graph: 'uniform', scale_by_sigma: true });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/family\.scale_by_sigma/);
  });

  it('rejects a vocabulary without the mask last (absorb), with a mask (uniform), unknown knobs and other samplers', () => {
    const mk = (family: Record<string, unknown>, vocab: { size: number; maskId?: number }) => () =>
      buildSedd({ family, model, noise: loglinear, vocab, rng: Rng.seeded(0) });
    expect(mk({}, { size: V })).toThrow(/vocab\.maskId.*last id \(11\)/);
    expect(mk({}, { size: V, maskId: 3 })).toThrow(/vocab\.maskId/);
    expect(mk({ graph: 'uniform' }, { size: V, maskId: MASK })).toThrow(/vocab\.maskId.*no mask token/);
    expect(mk({ time_conditioning: false }, { size: V, maskId: MASK })).toThrow(/time_conditioning/);
    const m = build();
    expect(seddFamily.samplers.names()).toEqual(['euler', 'analytic']);
    expect(seddFamily.defaultSampler).toBe('euler');
    expect(() => m.sample({ num: 1, length: L, steps: 2, sampler: 'ddpm_cache', rng: Rng.seeded(0) })).toThrow(
      /ddpm_cache.*one of euler, analytic/,
    );
    expect(() => m.sample({ num: 1, length: L + 1, steps: 2, sampler: 'euler', rng: Rng.seeded(0) })).toThrow(
      /sampling\.length.*at most model\.length 8/,
    );
    const long = { ids: { data: new Int32Array(2 * (L + 1)), shape: [2, L + 1] } };
    expect(() => m.trainLoss(long, Rng.seeded(0))).toThrow(/at most model\.length 8/);
    m.dispose();
  });

  it('padding positions (attention 0) leave the bound and the token count', () => {
    const m = build({ graph: 'uniform' }); // uniform: every position has a positive score entropy
    const attention = { data: Uint8Array.from({ length: 3 * L }, (_, i) => (i % L < L - 2 ? 1 : 0)), shape: [3, L] };
    const draw = m.nll({ ...batch, attention }, Rng.seeded(7));
    const full = m.nll(batch, Rng.seeded(7));
    expect([...draw.tokens]).toEqual([L - 2, L - 2, L - 2]);
    for (let b = 0; b < 3; b++) expect(draw.nats[b]!).toBeLessThan(full.nats[b]!);
    const loss = m.trainLoss({ ...batch, attention }, Rng.seeded(7)).dataSync()[0]!;
    expect(loss).toBeCloseTo(draw.nats.reduce((a, b) => a + b, 0) / (3 * (L - 2)), 4);
    m.dispose();
  });
});
