// Fused RMSNorm over the last axis without weight, and its input gradient, as two kernels of the wasm backend run
// by @dlm/native (rmsNorm / rmsNormGrad) instead of the five forward and about ten backward tfjs ops of
// ../nn/rms-norm.ts (LLaDA's RMSLayerNorm):
//   y = x·r, r = 1/√(mean(x²) + eps);  dx = r·(dy − ŷ·mean(dy·ŷ)), ŷ = x·r  (per row; statistics in float64).
// rmsNorm() uses them when nativeFusedOn() (the weight stays a tfjs multiply); should one run with the native path
// off, a JS loop on the heap computes the same.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';
import {
  heapF32,
  heapOffset,
  nativeHeap,
  registerInputGradient,
  rowsOf,
  type NativeHeapBackend,
} from './native-heap.ts';

export const RMS_NORM = 'DlmRmsNorm';
export const RMS_NORM_GRAD = 'DlmRmsNormGrad';

function rstd(x: Float32Array, r: number, d: number, eps: number): number {
  let q = 0;
  for (let j = 0; j < d; j++) q += x[r * d + j]! ** 2;
  return Math.fround(1 / Math.sqrt(q / d + eps));
}

const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const eps = Number(attrs?.eps);
  const b = backend as unknown as NativeHeapBackend;
  const y = b.makeOutput(x.shape, 'float32');
  const [rows, d] = rowsOf(x);
  const addon = activeNative();
  if (addon) addon.rmsNorm(nativeHeap(b), heapOffset(b, x), heapOffset(b, y), rows, d, eps);
  else {
    const [xs, ys] = [heapF32(b, x), heapF32(b, y)];
    for (let r = 0; r < rows; r++) {
      const rs = rstd(xs, r, d, eps);
      for (let j = 0; j < d; j++) ys[r * d + j] = xs[r * d + j]! * rs;
    }
  }
  return y;
};

const backward: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputs.dy as TensorInfo;
  const x = inputs.x as TensorInfo;
  const eps = Number(attrs?.eps);
  const b = backend as unknown as NativeHeapBackend;
  const dx = b.makeOutput(x.shape, 'float32');
  const [rows, d] = rowsOf(x);
  const addon = activeNative();
  if (addon) addon.rmsNormGrad(nativeHeap(b), heapOffset(b, dy), heapOffset(b, x), heapOffset(b, dx), rows, d, eps);
  else {
    const [g, xs, out] = [heapF32(b, dy), heapF32(b, x), heapF32(b, dx)];
    for (let r = 0; r < rows; r++) {
      const rs = rstd(xs, r, d, eps);
      let sdyh = 0;
      for (let j = 0; j < d; j++) sdyh += g[r * d + j]! * xs[r * d + j]! * rs;
      for (let j = 0; j < d; j++) out[r * d + j] = rs * (g[r * d + j]! - xs[r * d + j]! * rs * (sdyh / d));
    }
  }
  return dx;
};

/** The forward kernel (attrs {eps}; its gradient runs RMS_NORM_GRAD on dy and the saved input). */
export function rmsNormKernel(backendName: string): KernelConfig {
  registerInputGradient(RMS_NORM, RMS_NORM_GRAD);
  return { kernelName: RMS_NORM, backendName, kernelFunc: forward };
}

export function rmsNormGradKernel(backendName: string): KernelConfig {
  return { kernelName: RMS_NORM_GRAD, backendName, kernelFunc: backward };
}
