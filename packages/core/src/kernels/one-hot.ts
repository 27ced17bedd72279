// OneHot on tfjs-backend-wasm 4.22 with a float32 dtype writes the integer bit patterns of
// onValue/offValue into a float32 buffer (1 reads back as 1.4e-45). Wrapping the original
// kernel: build the one-hot in int32, then Cast to the requested dtype.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { backendKernel, type DisposingBackend } from './kernel-helpers.ts';

export function oneHotWasm(original: KernelConfig): KernelConfig {
  const base = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const attrs = (args.attrs ?? {}) as { dtype?: string; onValue?: number; offValue?: number };
    const dtype = attrs.dtype ?? 'int32';
    const ints = Number.isInteger(attrs.onValue ?? 1) && Number.isInteger(attrs.offValue ?? 0);
    if (dtype === 'int32' || !ints) return base(args);
    const asInt = base({ ...args, attrs: { ...args.attrs, dtype: 'int32' } }) as TensorInfo;
    const cast = backendKernel(tf.Cast, original.backendName);
    const out = cast({ inputs: { x: asInt }, backend: args.backend, attrs: { dtype } }) as TensorInfo;
    (args.backend as unknown as DisposingBackend).disposeData(asInt.dataId);
    return out;
  };
  return { ...original, kernelFunc };
}
