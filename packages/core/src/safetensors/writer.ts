// Safetensors writer: named tensors + metadata → bytes, or → a file written atomically
// (temp file in the same directory, fsync, rename).
//
// Layout as the reference writer (huggingface/safetensors safetensors/src/tensor.rs prepare):
// tensors packed contiguously, ordered by descending dtype alignment rank then name (byte order),
// header padded with spaces to a multiple of 8 so the data buffer starts 8-byte aligned.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError, ShapeError, brief } from '../errors.ts';
import {
  type SafetensorsDtype,
  LITTLE_ENDIAN,
  dtypeRank,
  dtypeSize,
  encodeBF16,
  encodeF16,
  isDtype,
} from './dtypes.ts';
import { type TensorInfo, buildHeader } from './header.ts';

/** A tensor to write: values are encoded to `dtype` (floats rounded to nearest even). */
export interface TensorInput {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Row-major values. I64/U64 also accept BigInt64Array/BigUint64Array. */
  readonly data: ArrayLike<number> | BigInt64Array | BigUint64Array;
}

export type TensorMap = ReadonlyMap<string, TensorInput> | Readonly<Record<string, TensorInput>>;

const OP = 'safetensors.write';

function entriesOf(tensors: TensorMap): [string, TensorInput][] {
  return tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
}

const INT_RANGES: Partial<Record<SafetensorsDtype, [number, number]>> = {
  BOOL: [0, 1],
  U8: [0, 255],
  I8: [-128, 127],
  I16: [-32768, 32767],
  U16: [0, 65535],
  I32: [-(2 ** 31), 2 ** 31 - 1],
  U32: [0, 2 ** 32 - 1],
  I64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  U64: [0, Number.MAX_SAFE_INTEGER],
};

function checkInts(name: string, dtype: SafetensorsDtype, data: ArrayLike<number>): void {
  const [lo, hi] = INT_RANGES[dtype]!;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!(Number.isInteger(v) && v >= lo && v <= hi)) {
      throw new ConfigError({
        op: OP,
        arg: `tensor ${JSON.stringify(name)}`,
        expected: `${dtype} integers in [${lo}, ${hi}]`,
        got: `${v} at flat index ${i}`,
      });
    }
  }
}

/** The little-endian bytes of one tensor. */
export function encodeTensor(name: string, t: TensorInput): Uint8Array {
  if (!LITTLE_ENDIAN)
    throw new ConfigError({ op: OP, arg: `tensor ${JSON.stringify(name)}` }, 'encoding needs a little-endian host');
  const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const { dtype, data } = t;
  const isBig = data instanceof BigInt64Array || data instanceof BigUint64Array;
  if (isBig && dtype !== 'I64' && dtype !== 'U64') {
    throw new ConfigError({
      op: OP,
      arg: `tensor ${JSON.stringify(name)}`,
      expected: 'a number array for a non-64-bit integer dtype',
      got: `${data.constructor.name} for ${dtype}`,
    });
  }
  if (isBig) {
    const out =
      dtype === 'I64' ? BigInt64Array.from(data as ArrayLike<bigint>) : BigUint64Array.from(data as ArrayLike<bigint>);
    if (dtype === 'U64' && data instanceof BigInt64Array && data.some((v) => v < 0n)) {
      throw new ConfigError({
        op: OP,
        arg: `tensor ${JSON.stringify(name)}`,
        expected: 'U64 values ≥ 0',
        got: 'a negative value',
      });
    }
    return bytesOf(out);
  }
  const nums = data as ArrayLike<number>;
  switch (dtype) {
    case 'F32':
      return bytesOf(Float32Array.from(nums));
    case 'F64':
      return bytesOf(Float64Array.from(nums));
    case 'F16':
      return bytesOf(encodeF16(nums));
    case 'BF16':
      return bytesOf(encodeBF16(nums));
    case 'F8_E4M3':
    case 'F8_E5M2':
      throw new ConfigError({
        op: OP,
        arg: `tensor ${JSON.stringify(name)}`,
        expected: 'a dtype other than F8_E4M3/F8_E5M2 (no fp8 encoder)',
        got: dtype,
      });
    default:
      break;
  }
  checkInts(name, dtype, nums);
  switch (dtype) {
    case 'BOOL':
    case 'U8':
      return Uint8Array.from(nums);
    case 'I8':
      return bytesOf(Int8Array.from(nums));
    case 'I16':
      return bytesOf(Int16Array.from(nums));
    case 'U16':
      return bytesOf(Uint16Array.from(nums));
    case 'I32':
      return bytesOf(Int32Array.from(nums));
    case 'U32':
      return bytesOf(Uint32Array.from(nums));
    case 'I64':
      return bytesOf(BigInt64Array.from(Array.from(nums, (v) => BigInt(v))));
    default:
      return bytesOf(BigUint64Array.from(Array.from(nums, (v) => BigInt(v)))); // U64
  }
}

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Validate the inputs and compute the layout (offsets) without encoding any data. */
export function planLayout(tensors: TensorMap): {
  infos: TensorInfo[];
  inputs: Map<string, TensorInput>;
  dataBytes: number;
} {
  const entries = entriesOf(tensors);
  const inputs = new Map<string, TensorInput>();
  for (const [name, t] of entries) {
    const arg = `tensor ${JSON.stringify(name)}`;
    if (name === '__metadata__')
      throw new ConfigError({ op: OP, arg, expected: 'a tensor name other than the reserved "__metadata__"' });
    if (!isDtype(t?.dtype))
      throw new ConfigError({
        op: OP,
        arg: `${arg} dtype`,
        expected: 'a safetensors dtype (F32, F16, BF16, F64, I64, I32, U8, BOOL, ...)',
        got: brief(t?.dtype),
      });
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new ConfigError({
        op: OP,
        arg: `${arg} shape`,
        expected: 'an array of non-negative integers',
        got: brief(t.shape),
      });
    }
    const count = t.shape.reduce((a, d) => a * d, 1);
    if (t.data?.length !== count) {
      throw new ShapeError({
        op: OP,
        arg: `${arg} data`,
        expected: `${count} values for shape [${t.shape}]`,
        got: `${t.data?.length}`,
      });
    }
    inputs.set(name, t);
  }
  const order = [...inputs.keys()].sort(
    (a, b) => dtypeRank(inputs.get(b)!.dtype) - dtypeRank(inputs.get(a)!.dtype) || compareUtf8(a, b),
  );
  const infos: TensorInfo[] = [];
  let offset = 0;
  for (const name of order) {
    const t = inputs.get(name)!;
    const size = t.data.length * dtypeSize(t.dtype);
    infos.push({ name, dtype: t.dtype, shape: [...t.shape], begin: offset, end: offset + size });
    offset += size;
  }
  return { infos, inputs, dataBytes: offset };
}

function checkMetadata(metadata: Readonly<Record<string, string>> | undefined): void {
  if (metadata === undefined) return;
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string')
      throw new ConfigError({
        op: OP,
        arg: `metadata.${k}`,
        expected: 'a string value (safetensors metadata is string → string)',
        got: brief(v),
      });
  }
}

function prefixFor(header: Uint8Array): Uint8Array {
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(header.length), true);
  return prefix;
}

/** Serialize to bytes in memory. `metadata` becomes `__metadata__` (omitted when undefined). */
export function serializeSafetensors(tensors: TensorMap, metadata?: Readonly<Record<string, string>>): Uint8Array {
  checkMetadata(metadata);
  const { infos, inputs, dataBytes } = planLayout(tensors);
  const header = buildHeader(infos, metadata);
  const out = new Uint8Array(8 + header.length + dataBytes);
  out.set(prefixFor(header), 0);
  out.set(header, 8);
  for (const info of infos) out.set(encodeTensor(info.name, inputs.get(info.name)!), 8 + header.length + info.begin);
  return out;
}

/**
 * Write a safetensors file atomically: the data goes to a temp file next to `path`, is fsynced,
 * then renamed over `path`, so a reader never sees a half-written checkpoint. Tensors are
 * encoded one at a time (the whole file is never held in memory).
 */
export function writeSafetensors(path: string, tensors: TensorMap, metadata?: Readonly<Record<string, string>>): void {
  checkMetadata(metadata);
  const { infos, inputs } = planLayout(tensors);
  const header = buildHeader(infos, metadata);
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    const write = (b: Uint8Array): void => {
      let done = 0;
      while (done < b.length) done += writeSync(fd!, b, done, b.length - done);
    };
    write(prefixFor(header));
    write(header);
    for (const info of infos) write(encodeTensor(info.name, inputs.get(info.name)!));
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}
