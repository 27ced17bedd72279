// One AdamW update of a parameter as one kernel of the wasm backend, run by @dlm/native (adamw) instead of the
// twelve element-wise tfjs ops per parameter of ../optim/adamw.ts, in the same float32 operation order:
//   m' = m·β1 + g·(1 − β1);  v' = v·β2 + g²·(1 − β2);  p' = p·decay − (m' / (√v' / bc2Sqrt + eps))·stepSize
// (p·decay only when the parameter decays). Inputs p, m, v, g (float32, one shape); outputs [p', m', v'].
// AdamW.step uses it when nativeFusedOn(); should one run with the native path off, a JS loop on the heap computes
// the same in float32 (Math.fround after every operation).
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';
import { heapF32, heapOffset, nativeHeap, type NativeHeapBackend } from './native-heap.ts';

export const ADAMW = 'DlmAdamW';

/** Attributes of ADAMW (the step's scalars, computed by the optimizer). */
export interface AdamWAttrs {
  beta1: number;
  beta2: number;
  eps: number;
  bc2Sqrt: number;
  stepSize: number;
  /** 1 − lr·weightDecay */
  decay: number;
  /** 1 when the parameter decays, else 0. */
  decays: number;
}

const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
  const [p, m, v, g] = (['p', 'm', 'v', 'g'] as const).map((k) => inputs[k] as TensorInfo) as [
    TensorInfo,
    TensorInfo,
    TensorInfo,
    TensorInfo,
  ];
  const a = attrs as unknown as AdamWAttrs;
  const b = backend as unknown as NativeHeapBackend;
  const outs = [p, m, v].map((t) => b.makeOutput(t.shape, 'float32')) as [TensorInfo, TensorInfo, TensorInfo];
  const n = p.shape.reduce((x, y) => x * y, 1);
  const addon = activeNative();
  if (addon) {
    const [po, mo, vo] = outs.map((t) => heapOffset(b, t)) as [number, number, number];
    const [pi, mi, vi, gi] = [p, m, v, g].map((t) => heapOffset(b, t)) as [number, number, number, number];
    addon.adamw(
      nativeHeap(b),
      pi,
      mi,
      vi,
      gi,
      po,
      mo,
      vo,
      n,
      a.beta1,
      a.beta2,
      a.eps,
      a.bc2Sqrt,
      a.stepSize,
      a.decay,
      a.decays,
    );
  } else {
    const f = Math.fround;
    const [ps, ms, vs, gs] = [p, m, v, g].map((t) => heapF32(b, t)) as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    const [po, mo, vo] = outs.map((t) => heapF32(b, t)) as [Float32Array, Float32Array, Float32Array];
    const [b1, b2, c1, c2] = [f(a.beta1), f(a.beta2), f(1 - a.beta1), f(1 - a.beta2)];
    for (let i = 0; i < n; i++) {
      const mi = f(f(ms[i]! * b1) + f(gs[i]! * c1));
      const vi = f(f(vs[i]! * b2) + f(f(gs[i]! * gs[i]!) * c2));
      const denom = f(f(Math.sqrt(vi) / f(a.bc2Sqrt)) + f(a.eps));
      const base = a.decays ? f(ps[i]! * f(a.decay)) : ps[i]!;
      po[i] = base - f(f(mi / denom) * f(a.stepSize));
      mo[i] = mi;
      vo[i] = vi;
    }
  }
  return outs;
};

export function adamwKernel(backendName: string): KernelConfig {
  return { kernelName: ADAMW, backendName, kernelFunc };
}
