import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, initBackend, tf } from '@dlm/core';
import { loglinear as loglinearSchedule } from '@dlm/schedules';
import { buildMdlm, mdlmFamily } from './mdlm.ts';

const loglinear = loglinearSchedule({ eps: 1e-3 });
const V = 12,
  MASK = 11,
  L = 8;

function build(family: Record<string, unknown> = {}, dropout = 0) {
  return buildMdlm({
    family,
    model: { name: 'dit', hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: L, init: 'random', dropout },
    noise: loglinear,
    vocab: { size: V, maskId: MASK },
    rng: Rng.seeded(3),
  });
}
const batch = { ids: { data: Int32Array.from({ length: 3 * L }, (_, i) => (i * 7) % MASK), shape: [3, L] } };

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('MDLM family', () => {
  it('training loss = mean over tokens of the per-token NELBO the eval path reports (same draws)', () => {
    const m = build();
    const loss = m.trainLoss(batch, Rng.seeded(1));
    const draw = m.nll(batch, Rng.seeded(1));
    const total = draw.nats.reduce((a, b) => a + b, 0);
    expect(loss.dataSync()[0]!).toBeCloseTo(total / (3 * L), 4);
    expect([...draw.tokens]).toEqual([L, L, L]);
    expect(total).toBeGreaterThan(0);
    loss.dispose();
    m.dispose();
  });

  it('gradients reach every trainable parameter except the ones that see no signal', () => {
    const m = build();
    const { value, grads } = m.params.valueAndGrads(() => m.trainLoss(batch, Rng.seeded(2)));
    expect(Number.isFinite(value.dataSync()[0]!)).toBe(true);
    expect(grads.size).toBeGreaterThan(10);
    value.dispose();
    grads.forEach((g) => g.dispose());
    m.dispose();
  });

  it('discrete-T loss runs and differs from the continuous one', () => {
    const a = build(),
      b = build({ T: 10 });
    const la = a.trainLoss(batch, Rng.seeded(4)).dataSync()[0]!;
    const lb = b.trainLoss(batch, Rng.seeded(4)).dataSync()[0]!;
    expect(Number.isFinite(lb)).toBe(true);
    expect(lb).not.toBeCloseTo(la, 6);
    a.dispose();
    b.dispose();
  });

  it('samples have no mask left, count NFE, and ddpm_cache calls the network less than ddpm', () => {
    const m = build();
    const before = tf.memory().numTensors;
    const d = m.sample({ num: 2, length: L, steps: 50, sampler: 'ddpm', rng: Rng.seeded(5) });
    const c = m.sample({ num: 2, length: L, steps: 50, sampler: 'ddpm_cache', rng: Rng.seeded(5) });
    expect(d.ids.shape).toEqual([2, L]);
    expect([...d.ids.data].every((x) => x >= 0 && x < MASK)).toBe(true);
    expect([...c.ids.data].every((x) => x >= 0 && x < MASK)).toBe(true);
    expect(d.nfe).toBe(51);
    expect(c.nfe).toBeLessThan(d.nfe);
    expect(tf.memory().numTensors).toBe(before);
    expect(mdlmFamily.samplers.names()).toEqual(expect.arrayContaining(['ddpm', 'ddpm_cache', 'analytic']));
    expect(mdlmFamily.defaultSampler).toBe('ddpm_cache');
    m.dispose();
  });

  it('dropout is seeded by the loss Rng (reproducible) and off for the likelihood bound', () => {
    const plain = build({}, 0),
      dropped = build({}, 0.5);
    const a = dropped.trainLoss(batch, Rng.seeded(8)).dataSync()[0]!;
    const b = dropped.trainLoss(batch, Rng.seeded(8)).dataSync()[0]!;
    const c = plain.trainLoss(batch, Rng.seeded(8)).dataSync()[0]!;
    expect(a).toBe(b);
    expect(a).not.toBeCloseTo(c, 5);
    expect([...dropped.nll(batch, Rng.seeded(8)).nats]).toEqual([...plain.nll(batch, Rng.seeded(8)).nats]);
    plain.dispose();
    dropped.dispose();
  });

  it('samples longer than model.length go through semi-AR strides', () => {
    const m = build({ stride_length: 4 });
    const r = m.sample({ num: 2, length: 2 * L + 3, steps: 5, sampler: 'ddpm', rng: Rng.seeded(6) });
    expect(r.ids.shape).toEqual([2, 2 * L + 3]);
    expect([...r.ids.data].every((x) => x >= 0 && x < MASK)).toBe(true);
    expect(r.nfe).toBe(6 * (1 + Math.ceil((L + 3) / 4)));
    m.dispose();
  });

  it('rejects a missing mask id and sequences above model.length', () => {
    expect(() =>
      buildMdlm({
        family: {},
        model: { name: 'dit', hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: L },
        noise: loglinear,
        vocab: { size: V },
        rng: Rng.seeded(0),
      }),
    ).toThrow(/vocab\.maskId/);
    const m = build();
    const long = { ids: { data: new Int32Array(2 * (L + 1)), shape: [2, L + 1] } };
    expect(() => m.trainLoss(long, Rng.seeded(0))).toThrow(/at most model\.length 8/);
    m.dispose();
  });
  it('builds the backbone model.name names, and refuses one it does not accept, listing the accepted ones', () => {
    const llada = { name: 'llada', d_model: 16, n_heads: 2, n_layers: 1, mlp_hidden_size: 32, max_sequence_length: L };
    const mk = () =>
      buildMdlm({ family: {}, model: llada, noise: loglinear, vocab: { size: V, maskId: MASK }, rng: Rng.seeded(0) });
    expect(mk).toThrow(/mdlm family: model\.name.*one of dit/);
    expect(mdlmFamily.backbones).toEqual(['dit']);
  });
});
