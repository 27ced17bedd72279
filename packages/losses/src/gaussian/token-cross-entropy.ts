// Per-position cross-entropy −log softmax(logits)[id] on tfjs (differentiable in the logits),
// as torch.nn.CrossEntropyLoss(reduction='none').
import { ShapeError, tf, type Nd } from '@dlm/core';
import { checkVocabIds } from '@dlm/processes';

/** logits [..., V], ids [...] (host int32) → CE [...]. Throws on a shape mismatch or an id outside [0, V). */
export function tokenCrossEntropy(logits: tf.Tensor, ids: Nd<Int32Array>, op = 'tokenCrossEntropy'): tf.Tensor {
  const lead = logits.shape.slice(0, -1);
  const V = logits.shape[logits.rank - 1]!;
  if (ids.shape.length !== lead.length || ids.shape.some((d, i) => d !== lead[i])) {
    throw new ShapeError({
      op,
      arg: 'input_ids',
      expected: `shape [${lead.join(',')}] (logits without the vocabulary axis)`,
      got: `[${ids.shape.join(',')}]`,
    });
  }
  checkVocabIds(op, 'input_ids', ids.data, V);
  return tf.tidy(() => {
    const oneHot = tf.oneHot(tf.tensor(ids.data, [ids.data.length], 'int32'), V); // [P, V]
    const logp = tf.logSoftmax(tf.reshape(logits, [-1, V])); // [P, V]
    return tf.reshape(tf.neg(tf.sum(tf.mul(oneHot, logp), -1)), [...ids.shape]);
  });
}
