// Embedding lookup: rows of a [V, D] table at int32 ids (SEDD/MDLM `vocab_embed.embedding[ids]`,
// LLaDA `wte.weight[ids]`). The gradient is a segment sum into the table (tf.gather's gradient).
import { ShapeError } from '../errors.ts';
import { tf } from '../tf.ts';

/**
 * @param table [V, D] float32
 * @param ids   [...] int32, each in [0, V)
 * @returns     [..., D]
 */
export function embedding(table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  if (table.rank !== 2)
    throw new ShapeError({ op: 'embedding', arg: 'table', expected: 'rank 2 [V, D]', got: `[${table.shape}]` });
  if (ids.dtype !== 'int32')
    throw new ShapeError({ op: 'embedding', arg: 'ids', expected: 'an int32 tensor', got: ids.dtype });
  return tf.gather(table, ids);
}
