// AdamW with PyTorch's semantics (torch.optim.AdamW, single-tensor path), per parameter p with
// gradient g at its own step count t:
//   p ← p·(1 − lr·wd)                         decoupled weight decay, BEFORE the Adam update
//   m ← β1·m + (1 − β1)·g
//   v ← β2·v + (1 − β2)·g²
//   p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps)      eps outside the square root
// A parameter without a gradient in a step is skipped (its t does not advance), as in torch.
// The scalar coefficients are computed on the host in float64 and applied in float32. On the native path
// (nativeFusedOn) each parameter's update is one fused kernel in the same operation order (kernels/native-adamw.ts).
import { CheckpointError, ConfigError, brief } from '../errors.ts';
import type { HostTensor } from '../safetensors/reader.ts';
import { tf } from '../tf.ts';
import { ADAMW, type AdamWAttrs } from '../kernels/native-adamw.ts';
import { nativeFusedOn } from '../kernels/native-heap.ts';

export interface AdamWOptions {
  /** Learning rate (can be overridden per step for schedules). */
  lr: number;
  /** Default [0.9, 0.999]. */
  betas?: readonly [number, number];
  /** Default 1e-8. */
  eps?: number;
  /** Decoupled weight decay; default 0.01 (torch's AdamW default). */
  weightDecay?: number;
  /** Parameters excluded from weight decay: a list of names or a predicate (e.g. biases, norms). */
  noDecay?: readonly string[] | ((name: string) => boolean);
}

/** Exported optimizer state: per-parameter step counts and moments (`<name>.exp_avg`, `<name>.exp_avg_sq`). */
export interface AdamWState {
  steps: Record<string, number>;
  tensors: Map<string, HostTensor>;
}

interface Slot {
  m: tf.Variable;
  v: tf.Variable;
  step: number;
  decay: boolean;
}

function checkNumber(arg: string, x: number, ok: boolean, expected: string): void {
  if (!(Number.isFinite(x) && ok)) throw new ConfigError({ op: 'AdamW', arg, expected, got: brief(x) });
}

export class AdamW {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly params: ReadonlyMap<string, tf.Variable>,
    opts: AdamWOptions,
  ) {
    const [b1, b2] = opts.betas ?? [0.9, 0.999];
    this.lr = opts.lr;
    this.beta1 = b1;
    this.beta2 = b2;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0.01;
    checkNumber('lr', this.lr, this.lr >= 0, 'a number ≥ 0');
    checkNumber('betas[0]', b1, b1 >= 0 && b1 < 1, 'a number in [0, 1)');
    checkNumber('betas[1]', b2, b2 >= 0 && b2 < 1, 'a number in [0, 1)');
    checkNumber('eps', this.eps, this.eps >= 0, 'a number ≥ 0');
    checkNumber('weightDecay', this.weightDecay, this.weightDecay >= 0, 'a number ≥ 0');
    const nd = opts.noDecay;
    if (Array.isArray(nd)) {
      const unknown = nd.filter((n) => !params.has(n));
      if (unknown.length)
        throw new ConfigError({
          op: 'AdamW',
          arg: 'noDecay',
          expected: 'names of optimized parameters',
          got: brief(unknown),
        });
    }
    const noDecay =
      typeof nd === 'function' ? nd : (n: string) => (nd as readonly string[] | undefined)?.includes(n) ?? false;
    // Moments are created up front, so the tensor count does not change across steps.
    for (const [name, p] of params) {
      const zeros = () => tf.variable(tf.zerosLike(p), false);
      this.slots.set(name, { m: tf.tidy(zeros), v: tf.tidy(zeros), step: 0, decay: !noDecay(name) });
    }
  }

  /** Step count of a parameter (0 before its first update). */
  stepOf(name: string): number {
    return this.slots.get(name)?.step ?? 0;
  }

  /** One update from `grads` (by parameter name; unknown names are an error). Does not dispose grads. */
  step(grads: ReadonlyMap<string, tf.Tensor>, lr = this.lr): void {
    checkNumber('lr', lr, lr >= 0, 'a number ≥ 0');
    for (const name of grads.keys()) {
      if (!this.slots.has(name))
        throw new ConfigError({
          op: 'AdamW.step',
          arg: `grads ${name}`,
          expected: 'a parameter given to the constructor',
        });
    }
    for (const [name, g] of grads) {
      const s = this.slots.get(name)!;
      const p = this.params.get(name)!;
      s.step += 1;
      const bc1 = 1 - this.beta1 ** s.step;
      const bc2Sqrt = Math.sqrt(1 - this.beta2 ** s.step);
      const stepSize = lr / bc1;
      if (nativeFusedOn(p) && g.dtype === 'float32' && p.size > 0) {
        // The same update as below in one native pass (kernels/native-adamw.ts).
        const attrs: AdamWAttrs = {
          beta1: this.beta1,
          beta2: this.beta2,
          eps: this.eps,
          bc2Sqrt,
          stepSize,
          decay: 1 - lr * this.weightDecay,
          decays: s.decay && this.weightDecay !== 0 ? 1 : 0,
        };
        const inputs = { p, m: s.m, v: s.v, g };
        const [p1, m1, v1] = tf.engine().runKernel(ADAMW, inputs, attrs as never) as tf.Tensor[];
        s.m.assign(m1!);
        s.v.assign(v1!);
        p.assign(p1!);
        tf.dispose([p1!, m1!, v1!]);
        continue;
      }
      tf.tidy(() => {
        const decayed = s.decay && this.weightDecay !== 0 ? tf.mul(p, 1 - lr * this.weightDecay) : p;
        const m = tf.add(tf.mul(s.m, this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(s.v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), this.eps);
        s.m.assign(m);
        s.v.assign(v);
        p.assign(tf.sub(decayed, tf.mul(tf.div(m, denom), stepSize)));
      });
    }
  }

  /** Host copy of the state (for checkpoints). */
  exportState(): AdamWState {
    const steps: Record<string, number> = {};
    const tensors = new Map<string, HostTensor>();
    for (const [name, s] of this.slots) {
      steps[name] = s.step;
      tensors.set(`${name}.exp_avg`, { dtype: 'F32', shape: [...s.m.shape], data: Float32Array.from(s.m.dataSync()) });
      tensors.set(`${name}.exp_avg_sq`, {
        dtype: 'F32',
        shape: [...s.v.shape],
        data: Float32Array.from(s.v.dataSync()),
      });
    }
    return { steps, tensors };
  }

  /** Restores an exported state; it must cover exactly this optimizer's parameters. */
  importState(state: AdamWState): void {
    const op = 'AdamW.importState';
    for (const [name, s] of this.slots) {
      const step = state.steps[name];
      if (!(Number.isInteger(step) && step! >= 0))
        throw new CheckpointError({ op, arg: `steps.${name}`, expected: 'an integer ≥ 0', got: brief(step) });
      for (const [key, slot] of [
        [`${name}.exp_avg`, s.m],
        [`${name}.exp_avg_sq`, s.v],
      ] as const) {
        const t = state.tensors.get(key);
        if (!t || t.shape.length !== slot.rank || t.shape.some((d, i) => d !== slot.shape[i])) {
          throw new CheckpointError({
            op,
            arg: key,
            expected: `a tensor of shape [${slot.shape}]`,
            got: t ? `[${t.shape}]` : 'nothing',
          });
        }
      }
    }
    const extra = Object.keys(state.steps).filter((n) => !this.slots.has(n));
    if (extra.length)
      throw new CheckpointError({
        op,
        arg: 'steps',
        expected: 'only names of optimized parameters',
        got: brief(extra),
      });
    for (const [name, s] of this.slots) {
      s.step = state.steps[name]!;
      for (const [key, slot] of [
        [`${name}.exp_avg`, s.m],
        [`${name}.exp_avg_sq`, s.v],
      ] as const) {
        const t = state.tensors.get(key)!;
        tf.tidy(() => slot.assign(tf.tensor(Float32Array.from(t.data), slot.shape, 'float32')));
      }
    }
  }

  dispose(): void {
    for (const s of this.slots.values()) {
      s.m.dispose();
      s.v.dispose();
    }
    this.slots.clear();
  }
}
