// Kernel coverage: forward + backward of a small transformer block and an AdamW step on EVERY
// backend that loads here, compared with the cpu backend. One process, tf.setBackend switching:
// each backend gets its own ParamStore built from the same seed (host-generated values), so
// the inputs are bit-identical and only the kernels differ.
// Tolerance: loss rtol 1e-4; every gradient / updated parameter |got − cpu| ≤ 1e-4·|cpu| +
// 1e-5·max|cpu tensor| (the atol term is scale-aware: float32 sums in a different order differ
// by ~1e-7 of the tensor's magnitude, not of an element that happens to be near 0).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, initBackend, shutdownBackend, type BackendName } from '../backend/select.ts';
import { AdamW } from '../optim/adamw.ts';
import { Rng } from '../rng.ts';
import { expectNoGrowth } from '../testing/leak-guard.ts';
import { tf } from '../tf.ts';
import { closeReport } from './all-close.ts';
import { attention, mergeHeads, splitHeads } from './attention.ts';
import { crossEntropy } from './cross-entropy.ts';
import { embedding } from './embedding.ts';
import { geluTanh } from './gelu-tanh.ts';
import { layerNorm } from './layer-norm.ts';
import { linear } from './linear.ts';
import { ParamStore } from './param-store.ts';
import { rmsNorm } from './rms-norm.ts';
import { applyRotary, rotaryInvFreq, rotaryTables } from './rotary.ts';
import { silu } from './silu.ts';
import { timestepFeatures } from './timestep-features.ts';

const [V, D, H, F, B, L, T] = [13, 16, 2, 32, 2, 6, 8]; // vocab, width, heads, MLP width, batch, length, time features

function buildParams(seed: number): ParamStore {
  const s = new ParamStore(Rng.seeded(seed));
  const mat = (name: string, out: number, inp: number) =>
    s.add(name, [out, inp], { kind: 'normal', std: 1 / Math.sqrt(inp) });
  const vec = (name: string, n: number, mean = 0) => s.add(name, [n], { kind: 'normal', std: 0.2, mean });
  s.add('embed', [V, D], { kind: 'normal', std: 0.7 });
  mat('time.weight', D, T);
  vec('time.bias', D);
  mat('ada.weight', 2 * D, D);
  vec('ln1.weight', D, 1);
  vec('ln1.bias', D);
  mat('qkv.weight', 3 * D, D);
  vec('qkv.bias', 3 * D);
  mat('out.weight', D, D);
  vec('ln2.weight', D, 1);
  mat('gelu_mlp.0.weight', F, D);
  vec('gelu_mlp.0.bias', F);
  mat('gelu_mlp.2.weight', D, F);
  vec('gelu_mlp.2.bias', D);
  vec('rms.weight', D, 1);
  mat('silu_mlp.gate.weight', F, D);
  mat('silu_mlp.up.weight', F, D);
  mat('silu_mlp.down.weight', D, F);
  mat('head.weight', V, D);
  vec('head.bias', V);
  return s;
}

interface Batch {
  ids: tf.Tensor2D;
  targets: tf.Tensor2D;
  lossMask: tf.Tensor2D;
  keyMask: tf.Tensor2D;
  t: tf.Tensor1D;
}

function makeBatch(): Batch {
  const r = Rng.seeded(11);
  const ids = Int32Array.from({ length: B * L }, () => r.int(0, V));
  const targets = Int32Array.from({ length: B * L }, () => r.int(0, V));
  const lossMask = Float32Array.from({ length: B * L }, (_, i) => (i % 3 === 1 ? 0 : 1));
  // row 0 left-padded by 2
  const keyMask = Float32Array.from({ length: B * L }, (_, i) => (i === 0 || i === 1 ? 0 : 1));
  return {
    ids: tf.tensor2d(ids, [B, L], 'int32'),
    targets: tf.tensor2d(targets, [B, L], 'int32'),
    lossMask: tf.tensor2d(lossMask, [B, L]),
    keyMask: tf.tensor2d(keyMask, [B, L]),
    t: tf.tensor1d([0.3, 0.8]),
  };
}

/** Embedding gather, time conditioning, pre-norm softmax attention with rotary, GELU MLP, SiLU-gated MLP, CE. */
function blockLoss(p: ParamStore, x: Batch): tf.Scalar {
  return tf.tidy(() => {
    const g = (n: string) => p.get(n);
    let h = embedding(g('embed'), x.ids) as tf.Tensor3D; // [B, L, D]
    const c = silu(linear(timestepFeatures(x.t, T), g('time.weight'), g('time.bias'))); // [B, D]
    const [shift, scale] = tf.split(tf.reshape(linear(c, g('ada.weight')), [B, 1, 2 * D]), 2, 2) as [
      tf.Tensor,
      tf.Tensor,
    ];
    const a = tf.add(tf.mul(layerNorm(h, { weight: g('ln1.weight'), bias: g('ln1.bias') }), tf.add(scale, 1)), shift);
    const [q, k, v] = tf.split(linear(a, g('qkv.weight'), g('qkv.bias')), 3, 2).map((t) => splitHeads(t, H)) as [
      tf.Tensor4D,
      tf.Tensor4D,
      tf.Tensor4D,
    ];
    const rope = rotaryTables(L, rotaryInvFreq(D / H));
    // [B, H, L, hd]
    const att = attention(applyRotary(q, rope), applyRotary(k, rope), v, { keyPaddingMask: x.keyMask });
    h = tf.add(h, linear(mergeHeads(att), g('out.weight')));
    const m = linear(
      geluTanh(linear(layerNorm(h, { weight: g('ln2.weight') }), g('gelu_mlp.0.weight'), g('gelu_mlp.0.bias'))),
      g('gelu_mlp.2.weight'),
      g('gelu_mlp.2.bias'),
    );
    h = tf.add(h, m);
    const r = rmsNorm(h, { weight: g('rms.weight') });
    h = tf.add(
      h,
      linear(
        tf.mul(silu(linear(r, g('silu_mlp.gate.weight'))), linear(r, g('silu_mlp.up.weight'))),
        g('silu_mlp.down.weight'),
      ),
    );
    const logits = linear(layerNorm(h), g('head.weight'), g('head.bias')); // [B, L, V]
    return crossEntropy(logits, x.targets, { mask: x.lossMask }) as tf.Scalar;
  });
}

interface RunResult {
  loss: number;
  grads: Map<string, Float32Array>;
  /** Parameters after two AdamW steps. */
  updated: Map<string, Float32Array>;
}

function runOnCurrentBackend(): RunResult {
  const p = buildParams(5);
  const x = makeBatch();
  const opt = new AdamW(p.trainable(), { lr: 1e-2, weightDecay: 0.1, eps: 1e-6 });
  const first = p.valueAndGrads(() => blockLoss(p, x));
  const loss = first.value.dataSync()[0]!;
  const grads = new Map([...first.grads].map(([n, t]) => [n, Float32Array.from(t.dataSync())]));
  opt.step(first.grads);
  tf.dispose([first.value, ...first.grads.values()]);
  const second = p.valueAndGrads(() => blockLoss(p, x));
  opt.step(second.grads);
  tf.dispose([second.value, ...second.grads.values()]);
  const updated = new Map([...p.trainable()].map(([n, v]) => [n, Float32Array.from(v.dataSync())]));
  opt.dispose();
  p.dispose();
  tf.dispose(Object.values(x));
  return { loss, grads, updated };
}

/** Worst ratio |got − want| / (1e-4·|want| + 1e-5·max|want|) over every tensor. */
function worst(
  got: Map<string, Float32Array>,
  want: Map<string, Float32Array>,
): { name: string; ratio: number; detail: string } {
  let out = { name: '', ratio: 0, detail: '' };
  for (const [name, w] of want) {
    const gt = got.get(name);
    if (!gt) return { name, ratio: Infinity, detail: 'missing' };
    const scale = w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const r = closeReport(gt, w, 1e-4, 1e-5 * scale);
    if (r.ratio > out.ratio) out = { name, ratio: r.ratio, detail: `index ${r.index}: got ${r.got}, cpu ${r.want}` };
  }
  return out;
}

interface Variant {
  label: string;
  backend: BackendName;
  threads?: number;
}

let variants: Variant[] = [];
let reference: RunResult;

beforeAll(async () => {
  const available = await availableBackends();
  variants = available.filter((b) => b !== 'cpu').map((backend) => ({ label: backend, backend }));
  // wasm runs multi-threaded by default on a multi-core machine; cover the single-threaded build too.
  if (available.includes('wasm')) variants.push({ label: 'wasm (1 thread)', backend: 'wasm', threads: 1 });
  await initBackend({ backend: 'cpu', log: () => {} });
  reference = runOnCurrentBackend();
});

afterAll(async () => {
  await shutdownBackend();
});

async function activate(v: Variant): Promise<void> {
  await initBackend({ backend: v.backend, ...(v.threads ? { threads: v.threads } : {}), log: () => {} });
}

describe('kernel coverage: transformer block forward + backward + AdamW on every backend', () => {
  it('the cpu reference has a finite loss and a non-zero gradient for every parameter', () => {
    expect(Number.isFinite(reference.loss)).toBe(true);
    expect(reference.grads.size).toBe(buildParamsCount());
    for (const [name, g] of reference.grads)
      expect(
        g.some((v) => v !== 0),
        name,
      ).toBe(true);
  });

  it('at least one non-cpu backend is available (wasm is a dependency)', () => {
    expect(variants.map((v) => v.backend)).toContain('wasm');
  });

  it('every backend matches cpu: loss, all gradients, parameters after 2 AdamW steps', async () => {
    for (const v of variants) {
      await activate(v);
      const got = runOnCurrentBackend();
      expect(Math.abs(got.loss - reference.loss), `${v.label} loss`).toBeLessThanOrEqual(
        1e-4 * Math.abs(reference.loss),
      );
      const g = worst(got.grads, reference.grads);
      expect(g.ratio, `${v.label} gradient ${g.name} ${g.detail}`).toBeLessThanOrEqual(1);
      const u = worst(got.updated, reference.updated);
      expect(u.ratio, `${v.label} AdamW ${u.name} ${u.detail}`).toBeLessThanOrEqual(1);
    }
  });

  it('tf.memory().numTensors is stable across 100 training steps on every backend', async () => {
    for (const v of [{ label: 'cpu', backend: 'cpu' as const }, ...variants]) {
      await activate(v);
      const p = buildParams(5);
      const x = makeBatch();
      const opt = new AdamW(p.trainable(), { lr: 1e-3 });
      let lastLoss = NaN;
      const counts = await expectNoGrowth(
        () => {
          const { value, grads } = p.valueAndGrads(() => blockLoss(p, x));
          opt.step(grads);
          lastLoss = value.dataSync()[0]!;
          tf.dispose([value, ...grads.values()]);
        },
        { warmup: 1, steps: 100, label: `${v.label} training step` },
      );
      expect(counts).toHaveLength(101);
      expect(lastLoss, `${v.label}: 101 steps on one batch lower the loss`).toBeLessThan(reference.loss);
      opt.dispose();
      p.dispose();
      tf.dispose(Object.values(x));
    }
  });
});

function buildParamsCount(): number {
  const p = buildParams(5);
  const n = p.trainable().size;
  p.dispose();
  return n;
}
