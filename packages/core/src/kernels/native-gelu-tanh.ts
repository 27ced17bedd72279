// Fused GELU (tanh form) and its gradient as two kernels of the wasm backend, run by @dlm/native
// (geluTanh / geluTanhGrad) instead of the six forward and about a dozen backward tfjs ops of
// ../nn/gelu-tanh.ts, whose formula they compute:
//   y = u·σ(z), z = u·(A + B·u²), A = 2√(2/π), B = 0.044715·A;  dy/du = s + u·s·(1 − s)·(A + 3B·u²), s = σ(z).
// geluTanh() uses them when nativeFusedOn(); should one run with the native path off, a JS loop on the heap
// computes the same.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';
import { heapF32, heapOffset, nativeHeap, registerInputGradient, type NativeHeapBackend } from './native-heap.ts';

export const GELU_TANH = 'DlmGeluTanh';
export const GELU_TANH_GRAD = 'DlmGeluTanhGrad';

const A = 2 * Math.sqrt(2 / Math.PI);
const B = A * 0.044715;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

const forward: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  const b = backend as unknown as NativeHeapBackend;
  const y = b.makeOutput(x.shape, 'float32');
  const n = x.shape.reduce((p, q) => p * q, 1);
  const addon = activeNative();
  if (addon) addon.geluTanh(nativeHeap(b), heapOffset(b, x), heapOffset(b, y), n);
  else {
    const xs = heapF32(b, x);
    const ys = heapF32(b, y);
    for (let i = 0; i < n; i++) {
      const u = xs[i]!;
      ys[i] = u * sigmoid(u * (A + B * u * u));
    }
  }
  return y;
};

const backward: KernelFunc = ({ inputs, backend }) => {
  const dy = inputs.dy as TensorInfo;
  const x = inputs.x as TensorInfo;
  const b = backend as unknown as NativeHeapBackend;
  const dx = b.makeOutput(x.shape, 'float32');
  const n = x.shape.reduce((p, q) => p * q, 1);
  const addon = activeNative();
  if (addon) addon.geluTanhGrad(nativeHeap(b), heapOffset(b, dy), heapOffset(b, x), heapOffset(b, dx), n);
  else {
    const [g, xs, out] = [heapF32(b, dy), heapF32(b, x), heapF32(b, dx)];
    for (let i = 0; i < n; i++) {
      const u = xs[i]!;
      const s = sigmoid(u * (A + B * u * u));
      out[i] = g[i]! * (s + u * s * (1 - s) * (A + 3 * B * u * u));
    }
  }
  return dx;
};

/** The forward kernel (its gradient runs GELU_TANH_GRAD on dy and the saved input). */
export function geluTanhKernel(backendName: string): KernelConfig {
  registerInputGradient(GELU_TANH, GELU_TANH_GRAD);
  return { kernelName: GELU_TANH, backendName, kernelFunc: forward };
}

export function geluTanhGradKernel(backendName: string): KernelConfig {
  return { kernelName: GELU_TANH_GRAD, backendName, kernelFunc: backward };
}
