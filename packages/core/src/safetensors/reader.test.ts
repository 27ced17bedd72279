import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors.ts';
import { bf16Bits, f16Bits } from './dtypes.ts';
import { SafetensorsReader, readSafetensors } from './reader.ts';
import { type TensorInput, serializeSafetensors, writeSafetensors } from './writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'dlm-st-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const F16_SPECIALS = [
  0,
  -0,
  1,
  -2.5,
  65504,
  -65504,
  Infinity,
  -Infinity,
  NaN,
  2 ** -24,
  2 ** -14 - 2 ** -24,
  2 ** -14,
  0.0999755859375,
];
const BF16_SPECIALS = [
  0,
  -0,
  1,
  3.140625,
  3.3895313892515355e38,
  Infinity,
  -Infinity,
  NaN,
  2 ** -133,
  2 ** -126,
  2 ** -126 - 2 ** -133,
  -1.5 * 2 ** -126,
];
const F32_SPECIALS = [0, -0, 1.5, -Math.fround(0.1), Infinity, -Infinity, NaN, 2 ** -149, 3.4028234663852886e38];

const ALL: Record<string, TensorInput> = {
  f64: { dtype: 'F64', shape: [2, 3], data: [0.1, -0, 1e-310, Infinity, NaN, -1e300] },
  f32: { dtype: 'F32', shape: [F32_SPECIALS.length], data: F32_SPECIALS },
  f16: { dtype: 'F16', shape: [F16_SPECIALS.length], data: F16_SPECIALS },
  bf16: { dtype: 'BF16', shape: [3, 4], data: BF16_SPECIALS },
  i64: { dtype: 'I64', shape: [4], data: [0, -1, 2 ** 31 - 1, -(2 ** 31)] },
  i32: { dtype: 'I32', shape: [2, 2], data: [0, -1, 2 ** 31 - 1, -(2 ** 31)] },
  i16: { dtype: 'I16', shape: [3], data: [-32768, 0, 32767] },
  i8: { dtype: 'I8', shape: [3], data: [-128, 5, 127] },
  u64: { dtype: 'U64', shape: [2], data: [0, 2 ** 31 - 1] },
  u32: { dtype: 'U32', shape: [2], data: [0, 2 ** 31 - 1] },
  u16: { dtype: 'U16', shape: [2], data: [0, 65535] },
  u8: { dtype: 'U8', shape: [4], data: [0, 1, 128, 255] },
  bool: { dtype: 'BOOL', shape: [2, 1], data: [1, 0] },
  empty: { dtype: 'F32', shape: [0, 4], data: [] },
  scalar: { dtype: 'F32', shape: [], data: [2.5] },
};

function sameValues(got: ArrayLike<number>, want: ArrayLike<number>): boolean {
  if (got.length !== want.length) return false;
  for (let i = 0; i < got.length; i++) {
    const a = got[i]!;
    const b = want[i]!;
    if (!(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)))) return false;
  }
  return true;
}

function checkAll(reader: SafetensorsReader): void {
  expect(reader.metadata).toEqual({ format: 'pt', note: 'round trip' });
  expect(new Set(reader.names)).toEqual(new Set(Object.keys(ALL)));
  const all = reader.readAll();
  for (const [name, t] of Object.entries(ALL)) {
    const got = all.get(name)!;
    expect(got.dtype, name).toBe(t.dtype);
    expect(got.shape, name).toEqual(t.shape);
    expect(sameValues(got.data, t.data as ArrayLike<number>), `${name}: ${[...got.data]}`).toBe(true);
    expect(sameValues(reader.tensor(name).data, got.data), `${name} lazy = readAll`).toBe(true);
  }
  expect(all.get('f64')!.data).toBeInstanceOf(Float64Array);
  for (const n of ['f32', 'f16', 'bf16']) expect(all.get(n)!.data).toBeInstanceOf(Float32Array);
  for (const n of ['i64', 'i32', 'i16', 'i8', 'u64', 'u32', 'u16']) expect(all.get(n)!.data).toBeInstanceOf(Int32Array);
  for (const n of ['u8', 'bool']) expect(all.get(n)!.data).toBeInstanceOf(Uint8Array);
}

describe('safetensors round trip', () => {
  it('every dtype, special values included, through a file', () => {
    const path = join(dir, 'all.safetensors');
    writeSafetensors(path, ALL, { format: 'pt', note: 'round trip' });
    checkAll(SafetensorsReader.open(path));
  });

  it('every dtype through bytes in memory, also at an unaligned byte offset', () => {
    const bytes = serializeSafetensors(ALL, { format: 'pt', note: 'round trip' });
    checkAll(SafetensorsReader.fromBytes(bytes));
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    checkAll(SafetensorsReader.fromBytes(shifted.subarray(3)));
  });

  it('stores the exact F16/BF16 bit patterns (-0, subnormals, inf, nan)', () => {
    const r = SafetensorsReader.fromBytes(serializeSafetensors(ALL));
    const raw16 = (name: string): number[] => {
      const b = r.raw(name);
      return [...new Uint16Array(b.buffer, b.byteOffset, b.length / 2)];
    };
    expect(raw16('f16')).toEqual(F16_SPECIALS.map(f16Bits));
    expect(raw16('f16').slice(0, 10)).toEqual([
      0x0000, 0x8000, 0x3c00, 0xc100, 0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x0001,
    ]);
    expect(raw16('bf16')).toEqual(BF16_SPECIALS.map(bf16Bits));
    expect(raw16('bf16').slice(0, 9)).toEqual([0x0000, 0x8000, 0x3f80, 0x4049, 0x7f7f, 0x7f80, 0xff80, 0x7fc0, 0x0001]);
  });

  it('F32 written from float64 values rounds to float32; readSafetensors returns metadata', () => {
    const { tensors, metadata } = readSafetensors(
      serializeSafetensors({ x: { dtype: 'F32', shape: [2], data: [0.1, 1 / 3] } }),
    );
    expect([...tensors.get('x')!.data]).toEqual([Math.fround(0.1), Math.fround(1 / 3)]);
    expect(metadata).toEqual({});
  });

  it('reads tensors lazily from the file: header first, data of one tensor on demand', () => {
    const path = join(dir, 'lazy.safetensors');
    writeSafetensors(path, {
      a: { dtype: 'F32', shape: [2], data: [1, 2] },
      b: { dtype: 'I32', shape: [1], data: [9] },
    });
    const r = SafetensorsReader.open(path);
    expect(r.info('b')).toMatchObject({ dtype: 'I32', shape: [1], begin: 8, end: 12 });
    expect([...r.tensor('b').data]).toEqual([9]);
    expect(r.has('c')).toBe(false);
    expect(() => r.tensor('c')).toThrow(CheckpointError);
    expect(() => r.tensor('c')).toThrow(/lazy\.safetensors tensor "c" is not in the file/);
  });

  it('I64 values outside int32 are a CheckpointError naming file, tensor and index', () => {
    const bytes = serializeSafetensors({
      ids: { dtype: 'I64', shape: [3], data: [1, 2 ** 31, 3] },
      big: { dtype: 'U64', shape: [1], data: [2 ** 32] },
    });
    const r = SafetensorsReader.fromBytes(bytes, 'ids.safetensors');
    expect(() => r.tensor('ids')).toThrow(CheckpointError);
    expect(() => r.tensor('ids')).toThrow(/ids\.safetensors tensor "ids".*2147483648 at flat index 1/);
    expect(() => r.tensor('big')).toThrow(/tensor "big".*4294967296 at flat index 0/);
    const neg = SafetensorsReader.fromBytes(
      serializeSafetensors({ n: { dtype: 'I64', shape: [1], data: [-(2 ** 31) - 1] } }),
      'neg',
    );
    expect(() => neg.tensor('n')).toThrow(/-2147483649/);
    const u32 = SafetensorsReader.fromBytes(
      serializeSafetensors({ u: { dtype: 'U32', shape: [1], data: [2 ** 31] } }),
      'u32',
    );
    expect(() => u32.tensor('u')).toThrow(CheckpointError);
  });

  it('BigInt64 input for I64 is written exactly', () => {
    const r = SafetensorsReader.fromBytes(
      serializeSafetensors({ t: { dtype: 'I64', shape: [2], data: BigInt64Array.from([-5n, 2n ** 40n]) } }),
    );
    const raw = r.raw('t');
    expect([...new BigInt64Array(raw.buffer, raw.byteOffset, 2)]).toEqual([-5n, 2n ** 40n]);
  });
});
