// _FusedMatMul for tfjs-backend-wasm 4.22: transposes done explicitly (as transpose-free-matmul.ts)
// and a fix for its bias with batch > 1.
//
// Measured: wasm's fused kernel adds the bias correctly only when a's batch is 1; with batch > 1,
// rows after the first get wrong bias values (e.g. bias [100, 1000] shows up as [1000, 1000]).
// Work-arounds, both exact:
//  - b's batch is 1 (a linear layer: shared weights): fold a's batch into its rows,
//    [B, M, K] → [1, B·M, K], run the fused kernel once, and read the [1, B·M, N] output as [B, M, N];
//  - b has its own batch: plain matmul, then the backend's Add (broadcast bias) and activation kernels.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { backendKernel, withPlainOperands, type DisposingBackend } from './kernel-helpers.ts';

const prod = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);

/** Activation kernels of tf.fused.matMul's `activation` names. */
const ACTIVATION_KERNEL: Record<string, string | undefined> = {
  linear: undefined,
  relu: tf.Relu,
  relu6: tf.Relu6,
  elu: tf.Elu,
  sigmoid: tf.Sigmoid,
  leakyrelu: tf.LeakyRelu,
  prelu: tf.Prelu,
};

export function fusedMatMulWasm(original: KernelConfig): KernelConfig {
  const { backendName } = original;
  const inner = original.kernelFunc;
  const transpose = backendKernel(tf.Transpose, backendName);
  const reshape = backendKernel(tf.Reshape, backendName);

  const kernelFunc: KernelFunc = (args) => {
    const attrs = args.attrs ?? {};
    const { inputs, backend } = args;
    const dispose = (t: TensorInfo) => (backend as DisposingBackend).disposeData(t.dataId);
    return withPlainOperands(args, transpose, (a, b) => {
      const plainAttrs = { ...attrs, transposeA: false, transposeB: false };
      const batchA = prod(a.shape.slice(0, -2));
      const batchB = prod(b.shape.slice(0, -2));
      if (inputs.bias == null || batchA <= 1) {
        return inner({ inputs: { ...inputs, a, b }, backend, attrs: plainAttrs });
      }
      const [m, k] = a.shape.slice(-2) as [number, number];
      const n = b.shape[b.shape.length - 1]!;
      if (batchB === 1) {
        const a1 = reshape({ inputs: { x: a }, backend, attrs: { shape: [1, batchA * m, k] } }) as TensorInfo;
        try {
          const out = inner({ inputs: { ...inputs, a: a1, b }, backend, attrs: plainAttrs }) as TensorInfo;
          out.shape = [...a.shape.slice(0, -2), m, n]; // same memory, [1, B·M, N] read as [B, M, N]
          return out;
        } finally {
          dispose(a1);
        }
      }
      // Per-batch weights: matmul, + bias, activation, each with the backend's own kernel.
      const activation = String(attrs.activation ?? 'linear');
      if (!(activation in ACTIVATION_KERNEL)) throw new Error(`_FusedMatMul: unknown activation '${activation}'`);
      const lin = inner({ inputs: { a, b }, backend, attrs: { ...plainAttrs, activation: 'linear' } }) as TensorInfo;
      const biased = backendKernel(tf.Add, backendName)({ inputs: { a: lin, b: inputs.bias }, backend }) as TensorInfo;
      dispose(lin);
      const actKernel = ACTIVATION_KERNEL[activation];
      if (actKernel === undefined) return biased;
      const actInputs = activation === 'prelu' ? { x: biased, alpha: inputs.preluActivationWeights! } : { x: biased };
      const out = backendKernel(
        actKernel,
        backendName,
      )({ inputs: actInputs, backend, attrs: { alpha: attrs.leakyreluAlpha ?? 0.2 } }) as TensorInfo;
      dispose(biased);
      return out;
    });
  };
  return { ...original, kernelFunc };
}
