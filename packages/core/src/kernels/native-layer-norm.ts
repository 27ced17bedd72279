// Fused LayerNorm over the last axis without affine, and its input gradient, as two kernels of the wasm backend run
// by @dlm/native (layerNorm / layerNormGrad) instead of the seven forward and ~15 backward tfjs ops of
// ../nn/layer-norm.ts (torch.nn.functional.layer_norm, biased variance):
//   y = (x − μ)·r, r = 1/√(σ² + eps);  dx = r·(dy − mean(dy) − ŷ·mean(dy·ŷ)), ŷ = (x − μ)·r  (per row).
// Row statistics in float64. layerNorm() uses them when nativeFusedOn() (the affine weight and bias stay tfjs
// ops); should one run with the native path off, a JS loop on the heap computes the same.
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

export const LAYER_NORM = 'DlmLayerNorm';
export const LAYER_NORM_GRAD = 'DlmLayerNormGrad';

/** Mean and 1/√(var + eps) of row r of x [rows, d]. */
function rowStats(x: Float32Array, r: number, d: number, eps: number): [number, number] {
  let s = 0;
  for (let j = 0; j < d; j++) s += x[r * d + j]!;
  const mu = s / d;
  let q = 0;
  for (let j = 0; j < d; j++) q += (x[r * d + j]! - mu) ** 2;
  return [Math.fround(mu), Math.fround(1 / Math.sqrt(q / d + eps))];
}

const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const eps = Number(attrs?.eps);
  const b = backend as unknown as NativeHeapBackend;
  const y = b.makeOutput(x.shape, 'float32');
  const [rows, d] = rowsOf(x);
  const addon = activeNative();
  if (addon) addon.layerNorm(nativeHeap(b), heapOffset(b, x), heapOffset(b, y), rows, d, eps);
  else {
    const [xs, ys] = [heapF32(b, x), heapF32(b, y)];
    for (let r = 0; r < rows; r++) {
      const [mu, rs] = rowStats(xs, r, d, eps);
      for (let j = 0; j < d; j++) ys[r * d + j] = (xs[r * d + j]! - mu) * rs;
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
  if (addon) addon.layerNormGrad(nativeHeap(b), heapOffset(b, dy), heapOffset(b, x), heapOffset(b, dx), rows, d, eps);
  else {
    const [g, xs, out] = [heapF32(b, dy), heapF32(b, x), heapF32(b, dx)];
    for (let r = 0; r < rows; r++) {
      const [mu, rs] = rowStats(xs, r, d, eps);
      let sdy = 0;
      let sdyh = 0;
      for (let j = 0; j < d; j++) {
        sdy += g[r * d + j]!;
        sdyh += g[r * d + j]! * (xs[r * d + j]! - mu) * rs;
      }
      for (let j = 0; j < d; j++)
        out[r * d + j] = rs * (g[r * d + j]! - sdy / d - (xs[r * d + j]! - mu) * rs * (sdyh / d));
    }
  }
  return dx;
};

/** The forward kernel (attrs {eps}; its gradient runs LAYER_NORM_GRAD on dy and the saved input). */
export function layerNormKernel(backendName: string): KernelConfig {
  registerInputGradient(LAYER_NORM, LAYER_NORM_GRAD);
  return { kernelName: LAYER_NORM, backendName, kernelFunc: forward };
}

export function layerNormGradKernel(backendName: string): KernelConfig {
  return { kernelName: LAYER_NORM_GRAD, backendName, kernelFunc: backward };
}
