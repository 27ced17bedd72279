// Kernel completion: registers our kernels over (or next to) a backend's own. Idempotent.
// Must run before the backend is first set, so setup functions run for every kernel.
// One table, backend → [kernel name, wrapper factory]: adding a kernel is one file plus one row here,
// and COMPLETED_KERNELS is read off the same table.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { aliasingCast, aliasingIdentity } from './alias-identity.ts';
import { fusedMatMulWasm } from './fused-matmul.ts';
import { geluTanhGradKernel, geluTanhKernel } from './native-gelu-tanh.ts';
import { layerNormGradKernel, layerNormKernel } from './native-layer-norm.ts';
import { nativeMatMul } from './native-matmul.ts';
import {
  softmaxCrossEntropyGradKernel,
  softmaxCrossEntropyKernel,
  SOFTMAX_CROSS_ENTROPY,
  SOFTMAX_CROSS_ENTROPY_GRAD,
} from './native-softmax-cross-entropy.ts';
import { GELU_TANH, GELU_TANH_GRAD } from './native-gelu-tanh.ts';
import { LAYER_NORM, LAYER_NORM_GRAD } from './native-layer-norm.ts';
import { RMS_NORM, RMS_NORM_GRAD, rmsNormGradKernel, rmsNormKernel } from './native-rms-norm.ts';
import { ROTARY, ROTARY_GRAD, rotaryGradKernel, rotaryKernel } from './native-rotary.ts';
import { nativeSum } from './native-sum.ts';
import { nativeGather } from './native-gather.ts';
import { ADAMW, adamwKernel } from './native-adamw.ts';
import { nativeTranspose } from './native-transpose.ts';
import { nativeSlice } from './native-slice.ts';
import { nativeBinary } from './native-binary.ts';
import { nativePad } from './native-pad.ts';
import { nativeSegmentSum } from './native-segment-sum.ts';
import { nativeSoftmax } from './native-softmax.ts';
import { nativeSplit } from './native-split.ts';
import { oneHotWasm } from './one-hot.ts';
import { stridedSum } from './strided-sum.ts';
import { transposeFreeMatMul } from './transpose-free-matmul.ts';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.ts';

/**
 * Our kernel for one (kernel, backend), from the backend's own config when it has one. Wrappers of an
 * existing kernel ask for `own`; a row whose wrapper needs it is skipped when the backend lacks it.
 */
interface Completion {
  readonly kernel: string;
  readonly build: (own: KernelConfig | undefined, backendName: string) => KernelConfig | undefined;
}

/** Wraps the backend's own kernel; nothing when the backend has none. */
const wrap = (kernel: string, f: (own: KernelConfig) => KernelConfig): Completion => ({
  kernel,
  build: (own) => (own ? f(own) : undefined),
});

/** A kernel of our own (no backend has it): `make(backendName)`. */
const own = (kernel: string, make: (backendName: string) => KernelConfig): Completion => ({
  kernel,
  build: (_, backendName) => make(backendName),
});

const segmentSum: Completion = {
  kernel: tf.UnsortedSegmentSum,
  build: (_, backendName) => unsortedSegmentSumConfig(backendName),
};

const COMPLETIONS = {
  // Direct O(N·inner) instead of tfjs-cpu's O(numSegments·N).
  cpu: [segmentSum],
  wasm: [
    // Missing in tfjs-backend-wasm 4.22; natively in place when the native path is on (native-segment-sum.ts).
    { kernel: tf.UnsortedSegmentSum, build: (_, name) => nativeSegmentSum(unsortedSegmentSumConfig(name)) },
    // Transposes done by an explicit Transpose (the transposed wasm matmul is 13–70× slower) and batched
    // products through the fast batch-1 XNNPACK path (transpose-free-matmul.ts, batched-matmul.ts).
    // In front of both: BLAS sgemm on the wasm heap when the native path is on (native-matmul.ts).
    wrap(tf.BatchMatMul, (own) => nativeMatMul(transposeFreeMatMul(own))),
    // The same, plus the wrong bias of wasm _FusedMatMul for batch > 1 worked around (fused-matmul.ts).
    wrap(tf._FusedMatMul, (own) => nativeMatMul(fusedMatMulWasm(own))),
    // float32 OneHot built in int32 and cast (one-hot.ts).
    wrap(tf.OneHot, oneHotWasm),
    // Identity and same-dtype Cast share memory instead of copying (alias-identity.ts).
    wrap(tf.Identity, aliasingIdentity),
    wrap(tf.Cast, aliasingCast),
    // Sum over leading axes without a transpose (strided-sum.ts); any contiguous axes natively (native-sum.ts).
    wrap(tf.Sum, (own) => nativeSum(stridedSum(own))),
    // Fused ops of a transformer step, run by @dlm/native when the nn functions ask (nativeFusedOn): GELU-tanh,
    // LayerNorm, RMSNorm, rotary embedding, softmax cross-entropy, each forward and its gradient, and the AdamW update.
    // Rows of an embedding (and any float32 gather) copied natively (native-gather.ts).
    wrap(tf.GatherV2, nativeGather),
    // Any permutation of 4-byte data natively (native-transpose.ts).
    wrap(tf.Transpose, nativeTranspose),
    // Slices of 4-byte data natively (native-slice.ts), and SplitV as slices (native-split.ts).
    wrap(tf.Slice, nativeSlice),
    wrap(tf.SplitV, nativeSplit),
    // PadV2 (every Slice's gradient) as a fill and a strided copy (native-pad.ts).
    wrap(tf.PadV2, nativePad),
    // Broadcasting float32 arithmetic, split over the addon's threads (native-binary.ts).
    wrap(tf.Add, nativeBinary('add')),
    wrap(tf.Sub, nativeBinary('sub')),
    wrap(tf.Multiply, nativeBinary('mul')),
    wrap(tf.RealDiv, nativeBinary('div')),
    // Softmax over the last axis (native-softmax.ts).
    wrap(tf.Softmax, nativeSoftmax),
    own(GELU_TANH, geluTanhKernel),
    own(GELU_TANH_GRAD, geluTanhGradKernel),
    own(LAYER_NORM, layerNormKernel),
    own(LAYER_NORM_GRAD, layerNormGradKernel),
    own(RMS_NORM, rmsNormKernel),
    own(RMS_NORM_GRAD, rmsNormGradKernel),
    own(ROTARY, rotaryKernel),
    own(ROTARY_GRAD, rotaryGradKernel),
    own(SOFTMAX_CROSS_ENTROPY, softmaxCrossEntropyKernel),
    own(SOFTMAX_CROSS_ENTROPY_GRAD, softmaxCrossEntropyGradKernel),
    // One AdamW update per parameter in one pass (native-adamw.ts; AdamW.step asks nativeFusedOn).
    own(ADAMW, adamwKernel),
  ],
} as const satisfies Record<string, readonly Completion[]>;

export type CompletedBackend = keyof typeof COMPLETIONS;

/** The kernels each backend gets from us, by tfjs backend name (derived from the completion table). */
export const COMPLETED_KERNELS: Readonly<Record<CompletedBackend, readonly string[]>> = {
  cpu: COMPLETIONS.cpu.map((c) => c.kernel),
  wasm: COMPLETIONS.wasm.map((c) => c.kernel),
};

const completed = new Set<string>();
const ours = new Set<KernelFunc>();

function override(config: KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
  ours.add(config.kernelFunc);
}

/** True when the kernel registered for (kernelName, backendName) is one of ours. */
export function isCompletedKernel(kernelName: string, backendName: string): boolean {
  const k = tf.getKernel(kernelName, backendName);
  return k !== undefined && ours.has(k.kernelFunc);
}

export function completeKernels(backendName: CompletedBackend): void {
  if (completed.has(backendName)) return;
  for (const { kernel, build } of COMPLETIONS[backendName]) {
    const config = build(tf.getKernel(kernel, backendName), backendName);
    if (config) override(config);
  }
  completed.add(backendName);
}
