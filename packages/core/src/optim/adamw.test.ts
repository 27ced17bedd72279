import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.ts';
import { assertAllClose } from '../nn/all-close.ts';
import { tf } from '../tf.ts';
import { AdamW } from './adamw.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const init = { w: [0.5, -1.0, 2.0, 0.0, 3.0, -0.25], b: [0.1, -0.2, 0.3], s: [1.0, 2.0] };
const shapes = { w: [2, 3], b: [3], s: [2] };
/** Gradient of parameter `name` at step k (1-based); 's' has no gradient at step 2. */
const gradAt = (name: keyof typeof init, k: number): number[] | undefined =>
  name === 's' && k === 2
    ? undefined
    : init[name].map((_, i) => Math.sin(3 * k + i + name.charCodeAt(0)) * (name === 'b' ? 10 : 1));

const hyper = { lr: 0.05, betas: [0.8, 0.95] as const, eps: 1e-3, weightDecay: 0.2 };

/** float64 re-computation of torch.optim.AdamW. */
function hostAdamW(steps: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const name of ['w', 'b', 's'] as const) {
    const p = [...init[name]];
    const m = p.map(() => 0);
    const v = p.map(() => 0);
    let t = 0;
    for (let k = 1; k <= steps; k++) {
      const g = gradAt(name, k);
      if (!g) continue;
      t += 1;
      const [b1, b2] = hyper.betas;
      for (let i = 0; i < p.length; i++) {
        if (name !== 'b') p[i]! *= 1 - hyper.lr * hyper.weightDecay; // decoupled decay first
        m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
        v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
        const denom = Math.sqrt(v[i]!) / Math.sqrt(1 - b2 ** t) + hyper.eps;
        p[i]! -= (hyper.lr / (1 - b1 ** t)) * (m[i]! / denom);
      }
    }
    out[name] = p;
  }
  return out;
}

function makeParams(): Map<string, tf.Variable> {
  return new Map((['w', 'b', 's'] as const).map((n) => [n, tf.variable(tf.tensor(init[n], shapes[n]))]));
}

function gradsAt(k: number): Map<string, tf.Tensor> {
  const g = new Map<string, tf.Tensor>();
  for (const n of ['w', 'b', 's'] as const) {
    const v = gradAt(n, k);
    if (v) g.set(n, tf.tensor(v, shapes[n]));
  }
  return g;
}

describe('AdamW (torch.optim.AdamW semantics)', () => {
  it('3 steps match a float64 re-computation (decay before update, bias correction, eps outside sqrt, noDecay, skipped grads)', () => {
    const params = makeParams();
    const opt = new AdamW(params, { ...hyper, noDecay: ['b'] });
    for (let k = 1; k <= 3; k++) {
      const g = gradsAt(k);
      opt.step(g);
      tf.dispose([...g.values()]);
    }
    const want = hostAdamW(3);
    for (const n of ['w', 'b', 's']) assertAllClose(n, params.get(n)!.dataSync(), want[n]!, 1e-5, 1e-6);
    expect([opt.stepOf('w'), opt.stepOf('s')]).toEqual([3, 2]);
    // the decay is visible: without it 'w' ends elsewhere
    const noDecay = makeParams();
    const opt2 = new AdamW(noDecay, { ...hyper, weightDecay: 0 });
    for (let k = 1; k <= 3; k++) opt2.step(gradsAt(k));
    expect(Math.abs(noDecay.get('w')!.dataSync()[4]! - want.w![4]!)).toBeGreaterThan(1e-3);
  });

  it('exported state resumes exactly; the tensor count is stable across steps', () => {
    const a = makeParams();
    const optA = new AdamW(a, hyper);
    for (let k = 1; k <= 2; k++) optA.step(gradsAt(k));
    const state = optA.exportState();
    expect(state.steps).toEqual({ w: 2, b: 2, s: 1 });
    expect([...state.tensors.keys()]).toContain('w.exp_avg_sq');

    const b = new Map([...a].map(([n, v]) => [n, tf.variable(v.clone())]));
    const optB = new AdamW(b, hyper);
    optB.importState(state);
    const g3 = gradsAt(3);
    const before = tf.memory().numTensors;
    optA.step(g3);
    optB.step(g3);
    expect(tf.memory().numTensors).toBe(before);
    for (const n of ['w', 'b', 's']) expect(Array.from(b.get(n)!.dataSync())).toEqual(Array.from(a.get(n)!.dataSync()));
    assertAllClose('w after resume vs host', a.get('w')!.dataSync(), hostAdamW(3).w!, 1e-5, 1e-6);
    const broken = { steps: { ...state.steps }, tensors: new Map(state.tensors) };
    broken.tensors.delete('b.exp_avg');
    expect(() => optB.importState(broken)).toThrow(/AdamW.importState: b.exp_avg/);
  });

  it('rejects bad hyper-parameters and unknown gradient names', () => {
    const p = makeParams();
    expect(() => new AdamW(p, { lr: -1 })).toThrow(/AdamW: lr/);
    expect(() => new AdamW(p, { lr: 1, betas: [1, 0.9] })).toThrow(/betas\[0\]/);
    expect(() => new AdamW(p, { lr: 1, noDecay: ['nope'] })).toThrow(/noDecay/);
    const opt = new AdamW(p, { lr: 1 });
    expect(() => opt.step(new Map([['x', tf.zeros([1])]]))).toThrow(/AdamW.step: grads x/);
  });
});
