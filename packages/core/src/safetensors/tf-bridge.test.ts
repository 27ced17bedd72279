import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The plain cpu backend: this test is about dtypes and values, not backend selection.
import '@tensorflow/tfjs-backend-cpu';
import { ConfigError } from '../errors.ts';
import { tf } from '../tf.ts';
import { SafetensorsReader } from './reader.ts';
import { fromTensor, toTensor } from './tf-bridge.ts';
import { serializeSafetensors } from './writer.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('tfjs bridge', () => {
  let before = 0;
  beforeAll(() => {
    before = tf.memory().numTensors;
  });
  afterAll(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('toTensor maps dtypes to float32 / int32 / bool with the right shapes and values', () => {
    const r = SafetensorsReader.fromBytes(
      serializeSafetensors({
        w: { dtype: 'BF16', shape: [2, 2], data: [1, -2, 0.5, 3] },
        d: { dtype: 'F64', shape: [2], data: [0.1, 2] },
        ids: { dtype: 'I64', shape: [3], data: [5, -1, 7] },
        m: { dtype: 'BOOL', shape: [2], data: [1, 0] },
        b: { dtype: 'U8', shape: [1], data: [200] },
      }),
    );
    const w = toTensor(r.tensor('w'));
    const d = toTensor(r.tensor('d'));
    const ids = toTensor(r.tensor('ids'));
    const m = toTensor(r.tensor('m'));
    const b = toTensor(r.tensor('b'));
    expect([w.dtype, d.dtype, ids.dtype, m.dtype, b.dtype]).toEqual(['float32', 'float32', 'int32', 'bool', 'int32']);
    expect(w.shape).toEqual([2, 2]);
    expect(w.arraySync()).toEqual([
      [1, -2],
      [0.5, 3],
    ]);
    expect([...d.dataSync()]).toEqual([Math.fround(0.1), 2]);
    expect([...ids.dataSync()]).toEqual([5, -1, 7]);
    expect([...m.dataSync()]).toEqual([1, 0]);
    expect([...b.dataSync()]).toEqual([200]);
    tf.dispose([w, d, ids, m, b]);
  });

  it('fromTensor → serialize → read → toTensor round-trips; F16 target rounds on write', () => {
    const x = tf.tensor(
      [
        [1.5, -0.1],
        [3, 4],
      ],
      [2, 2],
      'float32',
    );
    const i = tf.tensor([1, 2, 3], [3], 'int32');
    const bytes = serializeSafetensors({ x: fromTensor(x), h: fromTensor(x, 'F16'), i: fromTensor(i, 'I64') });
    const r = SafetensorsReader.fromBytes(bytes);
    expect(r.info('i').dtype).toBe('I64');
    const x2 = toTensor(r.tensor('x'));
    const h2 = toTensor(r.tensor('h'));
    const i2 = toTensor(r.tensor('i'));
    expect([...x2.dataSync()]).toEqual([...x.dataSync()]);
    expect(h2.dataSync()[1]).toBe(-0.0999755859375); // -0.1 rounded to binary16
    expect(i2.arraySync()).toEqual([1, 2, 3]);
    expect(() => fromTensor(i, 'F32')).toThrow(ConfigError);
    tf.dispose([x, i, x2, h2, i2]);
  });
});
