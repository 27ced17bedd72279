// Rotary embedding (rotate-half) as one kernel of the wasm backend run by @dlm/native (rotary) instead of the seven
// tfjs ops of ../nn/rotary.ts applyRotary (two splits, a negation, a concat, two products and a sum), with the
// same float32 roundings:  y = x·cos + R(x)·sin,  R(x) = concat(−x[h:], x[:h]),  h = hd/2.
// Its input gradient is the transposed map, dx = dy·cos + Rᵀ(dy·sin), Rᵀ(u) = concat(u[h:], −u[:h]) (the same
// kernel with grad = 1). The tables get gradients from composed ops, only if something asks for them.
// applyRotary() uses it when nativeFusedOn(); with the native path off, a JS loop on the heap computes the same.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';
import { heapF32, heapOffset, nativeHeap, type NativeHeapBackend } from './native-heap.ts';

export const ROTARY = 'DlmRotary';
export const ROTARY_GRAD = 'DlmRotaryGrad';

function run(grad: boolean): KernelFunc {
  return ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    const cos = inputs.cos as TensorInfo;
    const sin = inputs.sin as TensorInfo;
    const b = backend as unknown as NativeHeapBackend;
    const y = b.makeOutput(x.shape, 'float32');
    const [l, hd] = cos.shape as [number, number];
    const outer = x.shape.reduce((p, q) => p * q, 1) / (l * hd);
    const addon = activeNative();
    if (addon) {
      const at = (t: TensorInfo) => heapOffset(b, t);
      addon.rotary(nativeHeap(b), at(x), at(cos), at(sin), at(y), outer, l, hd, grad ? 1 : 0);
      return y;
    }
    const [xs, c, s, ys] = [heapF32(b, x), heapF32(b, cos), heapF32(b, sin), heapF32(b, y)];
    const h = hd / 2;
    const f = Math.fround;
    for (let r = 0; r < outer * l; r++) {
      const o = r * hd;
      const t = (r % l) * hd;
      for (let j = 0; j < hd; j++) {
        const first = j < h;
        const other = first ? j + h : j - h;
        const turned = grad
          ? f(xs[o + other]! * s[t + other]!) * (first ? 1 : -1)
          : f((first ? -xs[o + other]! : xs[o + other]!) * s[t + j]!);
        ys[o + j] = f(f(xs[o + j]! * c[t + j]!) + turned);
      }
    }
    return y;
  };
}

/** The forward kernel (inputs x [..., L, hd], cos and sin [L, hd]); its x gradient runs ROTARY_GRAD. */
export function rotaryKernel(backendName: string): KernelConfig {
  tf.registerGradient({
    kernelName: ROTARY,
    inputsToSave: ['x', 'cos', 'sin'],
    gradFunc: (dy, saved) => {
      const [x, cos, sin] = saved as [tf.Tensor, tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor;
      // d/dcos = Σ over leading axes of dy·x;  d/dsin = Σ of dy·R(x) (both [L, hd]).
      const lead = (t: tf.Tensor) => tf.sum(tf.reshape(t, [-1, ...cos.shape]), 0);
      const half = (t: tf.Tensor) => tf.split(t, 2, t.rank - 1) as [tf.Tensor, tf.Tensor];
      return {
        x: () => tf.engine().runKernel(ROTARY_GRAD, { x: g, cos, sin }) as tf.Tensor,
        cos: () => lead(tf.mul(g, x)),
        sin: () => {
          const [x1, x2] = half(x);
          return lead(tf.mul(g, tf.concat([tf.neg(x2), x1], x.rank - 1)));
        },
      };
    },
  });
  return { kernelName: ROTARY, backendName, kernelFunc: run(false) };
}

export function rotaryGradKernel(backendName: string): KernelConfig {
  return { kernelName: ROTARY_GRAD, backendName, kernelFunc: run(true) };
}
