// The DiT's forward and every gradient agree between the cpu backend and every other backend
// that loads here (covers the ops the DiT adds to core's kernel-coverage block: weight row
// slices, learned-position slices, adaLN chunk splits). Same tolerance as kernel coverage:
// |got − cpu| ≤ 1e-4·|cpu| + 1e-5·max|cpu tensor|.
import { afterAll, describe, expect, it } from 'vitest';
import { Rng, availableBackends, closeReport, crossEntropy, initBackend, shutdownBackend, tf } from '@dlm/core';
import { Dit } from './dit.ts';
import type { DitOptionsInput } from './options.ts';

afterAll(async () => {
  await shutdownBackend();
});

function run(options: DitOptionsInput): { logits: Float32Array; grads: Map<string, Float32Array> } {
  const m = new Dit(options, Rng.seeded(9), 'random');
  const x = tf.tensor2d(
    [
      [1, 4, 10, 2, 7, 3],
      [10, 10, 5, 0, 9, 6],
    ],
    [2, 6],
    'int32',
  );
  const s = tf.tensor1d([0.3, 2]);
  const t = tf.tensor2d(
    [
      [2, 3, 4, 5, 6, 7],
      [1, 1, 1, 1, 1, 1],
    ],
    [2, 6],
    'int32',
  );
  const logits = tf.tidy(() => Float32Array.from(m.forward(x, s).dataSync()));
  const { value, grads } = m.params.valueAndGrads(() => crossEntropy(m.forward(x, s), t) as tf.Scalar);
  const out = new Map([...grads].map(([n, g]) => [n, Float32Array.from(g.dataSync())]));
  tf.dispose([value, ...grads.values(), x, s, t]);
  m.dispose();
  return { logits, grads: out };
}

const configs: [string, DitOptionsInput][] = [
  ['reference (rotary, norm weights, final adaLN)', { vocabSize: 11, hidden: 16, heads: 2, blocks: 2, condDim: 8 }],
  [
    'benchmark switches (learned positions, no affine, plain head)',
    {
      vocabSize: 11,
      hidden: 16,
      heads: 2,
      blocks: 2,
      condDim: 8,
      positions: 'learned',
      maxLength: 8,
      normAffine: false,
      finalAdaLN: false,
    },
  ],
];

describe('DiT on every backend vs cpu', () => {
  for (const [label, options] of configs) {
    it(label, async () => {
      await initBackend({ backend: 'cpu', log: () => {} });
      const ref = run(options);
      const others = (await availableBackends()).filter((b) => b !== 'cpu');
      expect(others).toContain('wasm');
      for (const backend of others) {
        await initBackend({ backend, log: () => {} });
        const got = run(options);
        const scaleOf = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const l = closeReport(got.logits, ref.logits, 1e-4, 1e-5 * scaleOf(ref.logits));
        expect(l.ratio, `${backend} logits at ${l.index}: ${l.got} vs ${l.want}`).toBeLessThanOrEqual(1);
        expect([...got.grads.keys()].sort()).toEqual([...ref.grads.keys()].sort());
        for (const [name, g] of ref.grads) {
          const r = closeReport(got.grads.get(name)!, g, 1e-4, 1e-5 * scaleOf(g));
          expect(r.ratio, `${backend} grad ${name} at ${r.index}: ${r.got} vs ${r.want}`).toBeLessThanOrEqual(1);
        }
      }
    });
  }
});
