// Safetensors reader, from a file path or from bytes in memory.
//
// Opening parses and validates the header only (see header.ts); tensors are read lazily, one
// positioned read per tensor, so each byte of a large file is read once. Decoding:
// F32/F16/BF16 → Float32Array, F64 → Float64Array, I64/I32/I16/I8/U64/U32/U16 → Int32Array
// (a value outside int32 is a CheckpointError: tfjs token ids are int32), U8/BOOL → Uint8Array.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CheckpointError } from '../errors.ts';
import { type SafetensorsDtype, LITTLE_ENDIAN, decodeBF16, decodeF16 } from './dtypes.ts';
import { type ParsedHeader, type TensorInfo, headerLength, parseHeader } from './header.ts';

/** A decoded tensor on the host. */
export interface HostTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array | Int32Array | Uint8Array;
}

const OP = 'safetensors.read';

function where(file: string, tensor?: string): string {
  return tensor === undefined ? `file ${file}` : `file ${file} tensor ${JSON.stringify(tensor)}`;
}

/** Read exactly `length` bytes at `position` into a fresh (aligned) buffer. */
function readAt(fd: number, position: number, length: number, file: string, tensor?: string): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) {
      throw new CheckpointError(
        { op: OP, arg: where(file, tensor), expected: `${length} bytes at offset ${position}`, got: `${done}` },
        'file ended early (truncated)',
      );
    }
    done += n;
  }
  return out;
}

function openFile(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CheckpointError(
      { op: OP, arg: where(path), expected: 'a readable safetensors file' },
      code === 'ENOENT' ? 'does not exist' : `cannot be opened (${code})`,
    );
  }
}

/** Decode the raw little-endian bytes of one tensor (`bytes` must own an aligned buffer at offset 0). */
export function decodeTensor(info: TensorInfo, bytes: Uint8Array, file: string): HostTensor {
  if (!LITTLE_ENDIAN)
    throw new CheckpointError({ op: OP, arg: where(file, info.name) }, 'decoding needs a little-endian host');
  const { buffer, byteOffset } = bytes;
  const n = bytes.length;
  const outOfRange = (value: number | bigint, index: number): never => {
    throw new CheckpointError(
      {
        op: OP,
        arg: where(file, info.name),
        expected: 'values in the int32 range [-2^31, 2^31)',
        got: `${value} at flat index ${index}`,
      },
      `${info.dtype} does not fit int32`,
    );
  };
  let data: HostTensor['data'];
  switch (info.dtype) {
    case 'F32':
      data = new Float32Array(buffer, byteOffset, n / 4);
      break;
    case 'F64':
      data = new Float64Array(buffer, byteOffset, n / 8);
      break;
    case 'F16':
      data = decodeF16(new Uint16Array(buffer, byteOffset, n / 2));
      break;
    case 'BF16':
      data = decodeBF16(new Uint16Array(buffer, byteOffset, n / 2));
      break;
    case 'I32':
      data = new Int32Array(buffer, byteOffset, n / 4);
      break;
    case 'I16':
      data = Int32Array.from(new Int16Array(buffer, byteOffset, n / 2));
      break;
    case 'I8':
      data = Int32Array.from(new Int8Array(buffer, byteOffset, n));
      break;
    case 'U16':
      data = Int32Array.from(new Uint16Array(buffer, byteOffset, n / 2));
      break;
    case 'U8':
    case 'BOOL':
      data = bytes;
      break;
    case 'U32': {
      const src = new Uint32Array(buffer, byteOffset, n / 4);
      const out = new Int32Array(src.length);
      for (let i = 0; i < src.length; i++) {
        if (src[i]! >= 2 ** 31) outOfRange(src[i]!, i);
        out[i] = src[i]!;
      }
      data = out;
      break;
    }
    case 'I64':
    case 'U64': {
      // Little-endian word pairs (lo, hi): the value fits int32 iff hi is lo's sign extension
      // (I64), or hi = 0 and lo < 2^31 (U64).
      const words = new Int32Array(buffer, byteOffset, n / 4);
      const out = new Int32Array(words.length / 2);
      const signed = info.dtype === 'I64';
      for (let i = 0; i < out.length; i++) {
        const lo = words[2 * i]!;
        const hi = words[2 * i + 1]!;
        if (signed ? hi !== lo >> 31 : hi !== 0 || lo < 0) {
          const big = signed
            ? new BigInt64Array(buffer, byteOffset + 8 * i, 1)[0]!
            : new BigUint64Array(buffer, byteOffset + 8 * i, 1)[0]!;
          outOfRange(big, i);
        }
        out[i] = lo;
      }
      data = out;
      break;
    }
    default:
      throw new CheckpointError(
        {
          op: OP,
          arg: where(file, info.name),
          expected: `a dtype with a host decoding (F32, F16, BF16, F64, I64, I32, I16, I8, U64, U32, U16, U8, BOOL)`,
          got: info.dtype,
        },
        'has a dtype this reader cannot decode',
      );
  }
  return { dtype: info.dtype, shape: [...info.shape], data };
}

type Source = { kind: 'path'; path: string } | { kind: 'bytes'; bytes: Uint8Array };

export class SafetensorsReader {
  /** The file path (or the label given to `fromBytes`), used in every error message. */
  readonly file: string;
  /** The `__metadata__` map ({} when absent). */
  readonly metadata: Readonly<Record<string, string>>;
  readonly header: ParsedHeader;
  private readonly byName: Map<string, TensorInfo>;
  private readonly source: Source;

  private constructor(file: string, header: ParsedHeader, source: Source) {
    this.file = file;
    this.header = header;
    this.metadata = header.metadata;
    this.byName = new Map(header.tensors.map((t) => [t.name, t]));
    this.source = source;
  }

  /** Open a file: reads and validates the header only. */
  static open(path: string): SafetensorsReader {
    const fd = openFile(path);
    try {
      const size = fstatSync(fd).size;
      const prefix = size >= 8 ? readAt(fd, 0, 8, path) : new Uint8Array(0);
      const n = headerLength(prefix, size, path);
      const header = parseHeader(readAt(fd, 8, n, path), size - 8 - n, path);
      return new SafetensorsReader(path, header, { kind: 'path', path });
    } finally {
      closeSync(fd);
    }
  }

  /** Read from bytes already in memory; `label` names the source in errors. */
  static fromBytes(bytes: Uint8Array, label = '<bytes>'): SafetensorsReader {
    const n = headerLength(bytes, bytes.length, label);
    const header = parseHeader(bytes.subarray(8, 8 + n), bytes.length - 8 - n, label);
    return new SafetensorsReader(label, header, { kind: 'bytes', bytes });
  }

  /** Tensor names in file (offset) order. */
  get names(): string[] {
    return this.header.tensors.map((t) => t.name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** dtype, shape and offsets of one tensor, without reading its data. */
  info(name: string): TensorInfo {
    const info = this.byName.get(name);
    if (!info) {
      const some = this.names
        .slice(0, 8)
        .map((s) => JSON.stringify(s))
        .join(', ');
      throw new CheckpointError(
        {
          op: OP,
          arg: where(this.file, name),
          expected: `one of the ${this.byName.size} names in the file (${some}${this.byName.size > 8 ? ', …' : ''})`,
        },
        'is not in the file',
      );
    }
    return info;
  }

  /** The raw little-endian bytes of one tensor (a copy). */
  raw(name: string): Uint8Array {
    const info = this.info(name);
    const start = this.header.dataStart + info.begin;
    const len = info.end - info.begin;
    if (this.source.kind === 'bytes') return this.source.bytes.slice(start, start + len);
    const fd = openFile(this.source.path);
    try {
      return readAt(fd, start, len, this.file, name);
    } finally {
      closeSync(fd);
    }
  }

  /** One decoded tensor. */
  tensor(name: string): HostTensor {
    return decodeTensor(this.info(name), this.raw(name), this.file);
  }

  /**
   * The tensors of `names` (all when absent), decoded one at a time in file order through one open file: each
   * yielded tensor can be dropped before the next is read.
   */
  *stream(names?: ReadonlySet<string>): Generator<[string, HostTensor]> {
    const wanted = this.header.tensors.filter((t) => !names || names.has(t.name));
    if (this.source.kind === 'bytes') {
      for (const t of wanted) yield [t.name, this.tensor(t.name)];
      return;
    }
    const fd = openFile(this.source.path);
    try {
      for (const t of wanted) {
        const bytes = readAt(fd, this.header.dataStart + t.begin, t.end - t.begin, this.file, t.name);
        yield [t.name, decodeTensor(t, bytes, this.file)];
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Every tensor, decoded, in file order (one pass over the file). */
  readAll(): Map<string, HostTensor> {
    const out = new Map<string, HostTensor>();
    if (this.source.kind === 'bytes') {
      for (const t of this.header.tensors) out.set(t.name, this.tensor(t.name));
      return out;
    }
    const fd = openFile(this.source.path);
    try {
      for (const t of this.header.tensors) {
        const bytes = readAt(fd, this.header.dataStart + t.begin, t.end - t.begin, this.file, t.name);
        out.set(t.name, decodeTensor(t, bytes, this.file));
      }
    } finally {
      closeSync(fd);
    }
    return out;
  }
}

/** Read a whole safetensors file (path or bytes): tensors by name and `__metadata__`. */
export function readSafetensors(
  source: string | Uint8Array,
  label?: string,
): { tensors: Map<string, HostTensor>; metadata: Readonly<Record<string, string>> } {
  const reader =
    typeof source === 'string' ? SafetensorsReader.open(source) : SafetensorsReader.fromBytes(source, label);
  return { tensors: reader.readAll(), metadata: reader.metadata };
}
