// Adapts a LladaModel to the Fast-dLLM sampler's LladaKvModel (@dlm/samplers llada): host int32 ids in, float32
// logits out, the key/value cache kept as tensors between calls (kv-cache.ts, kv-forward.ts). Every tensor a call
// creates is disposed before it returns; the cache's tensors live until the session is disposed.
import { ShapeError, tf, type Nd } from '@dlm/core';
import type { llada } from '@dlm/samplers';
import { LladaKvCache } from './kv-cache.ts';
import { lladaKvForward, type LladaKvCall } from './kv-forward.ts';
import type { LladaModel } from './llada.ts';
import { lladaMaskPredictor } from './mask-predictor.ts';

function run(model: LladaModel, cache: LladaKvCache, x: Nd<Int32Array>, call: LladaKvCall): Float32Array {
  if (x.shape.length !== 2) {
    throw new ShapeError({ op: 'lladaKvModel', arg: 'x', expected: 'a [rows, n] array', got: `[${x.shape}]` });
  }
  const ids = tf.tensor2d(x.data, x.shape as [number, number], 'int32');
  try {
    const logits = lladaKvForward(model, ids, cache, call);
    try {
      return Float32Array.from(logits.dataSync() as Float32Array);
    } finally {
      logits.dispose();
    }
  } finally {
    ids.dispose();
  }
}

/** The model with plain calls (lladaMaskPredictor) and cached sessions. */
export function lladaKvModel(model: LladaModel): llada.LladaKvModel {
  return {
    predict: lladaMaskPredictor(model),
    openSession(): llada.LladaKvSession {
      const cache = new LladaKvCache(model.options.layers);
      return {
        full: (x) => run(model, cache, x, { kind: 'full' }),
        keepPrefix: (n) => cache.keepPrefix(n),
        afterPrefix: (x) => run(model, cache, x, { kind: 'append' }),
        replace: (x, start) => run(model, cache, x, { kind: 'replace', start }),
        get cachedLength() {
          return cache.length;
        },
        dispose: () => cache.dispose(),
      };
    },
  };
}
