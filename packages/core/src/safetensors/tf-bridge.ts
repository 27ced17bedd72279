// Host tensors ↔ tfjs tensors. tfjs has float32, int32 and bool only: F64 is narrowed to
// float32 on the way in (fine for weights; keep float64 math on the host), U8 goes to int32.
import { ConfigError } from '../errors.ts';
import { tf } from '../tf.ts';
import type { SafetensorsDtype } from './dtypes.ts';
import type { HostTensor } from './reader.ts';

/** A tfjs tensor holding the values of a decoded safetensors tensor. The caller owns (disposes) it. */
export function toTensor(t: HostTensor): tf.Tensor {
  const shape = [...t.shape];
  if (t.data instanceof Float32Array) return tf.tensor(t.data, shape, 'float32');
  if (t.data instanceof Float64Array) return tf.tensor(Float32Array.from(t.data), shape, 'float32');
  if (t.data instanceof Int32Array) return tf.tensor(t.data, shape, 'int32');
  if (t.dtype === 'BOOL') return tf.tensor(t.data, shape, 'bool');
  return tf.tensor(Int32Array.from(t.data), shape, 'int32');
}

const ALLOWED: Record<string, readonly SafetensorsDtype[]> = {
  float32: ['F32', 'F16', 'BF16', 'F64'],
  int32: ['I32', 'I64', 'I16', 'I8', 'U8', 'U16', 'U32', 'U64'],
  bool: ['BOOL', 'U8'],
};

/**
 * A host copy of a tfjs tensor, ready for `writeSafetensors`. `dtype` picks the stored type
 * (default F32 / I32 / BOOL by the tensor's dtype); F16/BF16 round to nearest even on write.
 */
export function fromTensor(x: tf.Tensor, dtype?: SafetensorsDtype): HostTensor {
  const allowed = ALLOWED[x.dtype];
  if (!allowed)
    throw new ConfigError({
      op: 'safetensors.fromTensor',
      arg: 'tensor dtype',
      expected: 'float32, int32 or bool',
      got: x.dtype,
    });
  const target = dtype ?? allowed[0]!;
  if (!allowed.includes(target)) {
    throw new ConfigError({
      op: 'safetensors.fromTensor',
      arg: 'dtype',
      expected: `one of ${allowed.join(', ')} for a ${x.dtype} tensor`,
      got: target,
    });
  }
  const values = x.dataSync();
  let data: HostTensor['data'];
  if (x.dtype === 'float32') data = target === 'F64' ? Float64Array.from(values) : Float32Array.from(values);
  else if (x.dtype === 'int32') data = Int32Array.from(values);
  else data = Uint8Array.from(values);
  return { dtype: target, shape: [...x.shape], data };
}
