// Adapts a LladaModel to the sampler's host-side MaskPredictor (@dlm/samplers llada): int32 ids
// [rows, L] (+ optional 0/1 attention mask [rows, L]) → float32 logits [rows, L, V]. The mask is
// passed through to the forward, so left-padded prompts in one batch attend as in ML-GSAI/LLaDA
// generate.py @b7e6c356 (fixtures/checkpoints/README.md §5, §7.3).
import { ShapeError, tf, type Nd } from '@dlm/core';
import type { llada } from '@dlm/samplers';
import type { LladaModel } from './llada.ts';

/** One model call per invocation; every tensor it creates is disposed before it returns. */
export function lladaMaskPredictor(model: LladaModel): llada.MaskPredictor {
  return (x: Nd<Int32Array>, attentionMask?: Nd<Int32Array>) => {
    const op = 'lladaMaskPredictor';
    if (x.shape.length !== 2) {
      throw new ShapeError({ op, arg: 'x', expected: 'a [rows, L] array', got: `[${x.shape}]` });
    }
    const [rows, len] = x.shape as [number, number];
    if (attentionMask && attentionMask.shape.join(',') !== `${rows},${len}`) {
      throw new ShapeError({
        op,
        arg: 'attentionMask',
        expected: `[${rows}, ${len}] like x`,
        got: `[${attentionMask.shape}]`,
      });
    }
    const logits = tf.tidy(() => {
      const ids = tf.tensor2d(x.data, [rows, len], 'int32');
      const mask = attentionMask ? tf.tensor2d(Float32Array.from(attentionMask.data), [rows, len]) : undefined;
      return model.forward(ids, mask ? { attentionMask: mask } : {}); // [rows, L, V]
    });
    try {
      return Float32Array.from(logits.dataSync() as Float32Array); // a copy: the tensor is disposed below
    } finally {
      logits.dispose();
    }
  };
}
