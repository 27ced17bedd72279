// Adapts a LladaModel to the Fast-dLLM sampler's LladaKvModel (@dlm/samplers llada): host int32 ids in, float32
// logits out, the key/value cache kept as tensors between calls (kv-cache.ts, kv-forward.ts). Plain and cached
// calls both use pre-transposed weights (inference-weights.ts), made once here and freed by dispose(). Every tensor a
// call creates is disposed before it returns; a session's cache lives until the session is disposed.
import { ShapeError, tf, type Nd } from '@dlm/core';
import type { llada } from '@dlm/samplers';
import { LladaInferenceWeights } from './inference-weights.ts';
import { LladaKvCache } from './kv-cache.ts';
import { lladaKvForward, type LladaKvCall } from './kv-forward.ts';
import type { LladaModel } from './llada.ts';

const OP = 'lladaKvModel';

function hostLogits(logits: tf.Tensor): Float32Array {
  try {
    return Float32Array.from(logits.dataSync() as Float32Array); // a copy: the tensor is disposed below
  } finally {
    logits.dispose();
  }
}

function ids2d(x: Nd<Int32Array>): tf.Tensor2D {
  if (x.shape.length !== 2)
    throw new ShapeError({ op: OP, arg: 'x', expected: 'a [rows, n] array', got: `[${x.shape}]` });
  return tf.tensor2d(x.data, x.shape as [number, number], 'int32');
}

/** The model with plain calls (attention mask optional, as lladaMaskPredictor) and cached sessions. */
export function lladaKvModel(model: LladaModel): llada.LladaKvModel {
  const weights = new LladaInferenceWeights(model.params);
  const run = (cache: LladaKvCache, x: Nd<Int32Array>, call: LladaKvCall) => {
    const ids = ids2d(x);
    try {
      return hostLogits(lladaKvForward(model, ids, cache, call, weights));
    } finally {
      ids.dispose();
    }
  };
  return {
    predict(x, attentionMask) {
      if (attentionMask && attentionMask.shape.join(',') !== x.shape.join(',')) {
        const expected = `[${x.shape}] like x`;
        throw new ShapeError({ op: OP, arg: 'attentionMask', expected, got: `[${attentionMask.shape}]` });
      }
      const logits = tf.tidy(() => {
        const ids = ids2d(x);
        const mask = attentionMask
          ? tf.tensor2d(Float32Array.from(attentionMask.data), [x.shape[0]!, x.shape[1]!])
          : undefined;
        return model.forward(ids, { weights, ...(mask ? { attentionMask: mask } : {}) }); // [rows, L, V]
      });
      return hostLogits(logits);
    },
    openSession(): llada.LladaKvSession {
      const cache = new LladaKvCache(model.options.layers);
      return {
        full: (x) => run(cache, x, { kind: 'full' }),
        keepPrefix: (n) => cache.keepPrefix(n),
        afterPrefix: (x) => run(cache, x, { kind: 'append' }),
        replace: (x, start) => run(cache, x, { kind: 'replace', start }),
        get cachedLength() {
          return cache.length;
        },
        dispose: () => cache.dispose(),
      };
    },
    dispose: () => weights.dispose(),
  };
}
