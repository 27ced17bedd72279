// The safetensors header: parse + validate, and build.
//
// Layout (huggingface/safetensors README "Format"): 8 bytes little-endian u64 N, N bytes of UTF-8
// JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}, then the
// byte buffer; offsets are relative to the buffer start. The checks mirror the reference reader
// (safetensors/src/tensor.rs: SafeTensors::read_metadata and Metadata::validate): N ≤ 100 MB,
// 8 + N ≤ file size, UTF-8, JSON; tensors sorted by offsets must tile the buffer exactly —
// each begins where the previous ended (no gap, no overlap), end − begin = prod(shape)·itemsize,
// and the last end equals the buffer length. We also refuse duplicate names, which the
// reference's JSON map would silently collapse into one.
import { CheckpointError, brief } from '../errors.ts';
import { type SafetensorsDtype, dtypeSize, isDtype } from './dtypes.ts';

export const MAX_HEADER_BYTES = 100_000_000;

export interface TensorInfo {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Byte offsets [begin, end) relative to the start of the data buffer. */
  readonly begin: number;
  readonly end: number;
}

export interface ParsedHeader {
  /** Header length N (bytes after the 8-byte prefix). */
  readonly headerBytes: number;
  /** Absolute file offset of the data buffer: 8 + N. */
  readonly dataStart: number;
  /** Tensors in offset order. */
  readonly tensors: readonly TensorInfo[];
  readonly metadata: Readonly<Record<string, string>>;
}

const OP = 'safetensors.read';

function fail(file: string, tensor: string | undefined, detail: string, expected?: string, got?: string): never {
  const arg = tensor === undefined ? `file ${file}` : `file ${file} tensor ${JSON.stringify(tensor)}`;
  throw new CheckpointError(
    { op: OP, arg, ...(expected !== undefined && { expected }), ...(got !== undefined && { got }) },
    detail,
  );
}

/** Read N from the first 8 bytes; checks it against the limit and the file size. */
export function headerLength(prefix: Uint8Array, fileSize: number, file: string): number {
  if (fileSize < 8 || prefix.length < 8)
    fail(file, undefined, 'is shorter than the 8-byte header length', 'at least 8 bytes', `${fileSize} bytes`);
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_HEADER_BYTES)
    fail(file, undefined, 'header length is too large', `at most ${MAX_HEADER_BYTES} bytes`, `${n}`);
  if (8 + n > fileSize)
    fail(file, undefined, 'header length is longer than the file', `8 + N ≤ ${fileSize} bytes`, `N = ${n}`);
  return n;
}

/** Names of the top-level keys of a (valid) JSON object text, in order, duplicates included. */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1) {
        let k = j + 1;
        while (/\s/.test(text[k] ?? '')) k++;
        if (text[k] === ':') keys.push(JSON.parse(text.slice(i, j + 1)) as string);
      }
      i = j;
    }
  }
  return keys;
}

function isIndex(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/**
 * Parse and validate the header bytes (the N bytes after the prefix). `dataBytes` is the size of
 * the data buffer (file size − 8 − N), used for the tiling and truncation checks.
 */
export function parseHeader(bytes: Uint8Array, dataBytes: number, file: string): ParsedHeader {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail(file, undefined, 'header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(file, undefined, `header is not JSON (${(e as Error).message})`, 'a JSON object', brief(text, 60));
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    fail(
      file,
      undefined,
      'header is not a JSON object',
      'an object {name: {dtype, shape, data_offsets}}',
      brief(json, 60),
    );
  }
  const seen = new Set<string>();
  for (const k of topLevelKeys(text)) {
    if (seen.has(k)) fail(file, k, 'appears twice in the header', 'unique tensor names');
    seen.add(k);
  }

  let metadata: Record<string, string> = {};
  const tensors: TensorInfo[] = [];
  for (const [name, entry] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        fail(file, undefined, '__metadata__ is not an object', 'a map of strings to strings', brief(entry));
      }
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v !== 'string')
          fail(file, undefined, `__metadata__ value of ${JSON.stringify(k)} is not a string`, 'a string', brief(v));
      }
      metadata = { ...(entry as Record<string, string>) };
      continue;
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      fail(file, name, 'has no tensor entry', 'an object {dtype, shape, data_offsets}', brief(entry));
    }
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (!isDtype(dtype))
      fail(
        file,
        name,
        'has an unknown dtype',
        'one of the safetensors dtypes (F32, F16, BF16, I64, ...)',
        brief(dtype),
      );
    if (!Array.isArray(shape) || !shape.every(isIndex))
      fail(file, name, 'has an invalid shape', 'an array of non-negative integers', brief(shape));
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
      fail(file, name, 'has invalid data_offsets', '[begin, end] non-negative integers', brief(offsets));
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin) fail(file, name, 'has data_offsets with end before begin', 'begin ≤ end', `[${begin}, ${end}]`);
    tensors.push({ name, dtype, shape: [...shape], begin, end });
  }

  tensors.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let prev: TensorInfo | undefined;
  for (const t of tensors) {
    if (t.begin < cursor) {
      fail(
        file,
        t.name,
        `data_offsets [${t.begin}, ${t.end}] overlap tensor ${JSON.stringify(prev?.name)} [${prev?.begin}, ${prev?.end}]`,
        'non-overlapping offsets',
      );
    }
    if (t.begin > cursor) {
      fail(
        file,
        t.name,
        `data_offsets [${t.begin}, ${t.end}] leave a gap of ${t.begin - cursor} bytes after ${prev ? JSON.stringify(prev.name) : 'the buffer start'}`,
        'contiguous offsets',
      );
    }
    let count = 1;
    for (const d of t.shape) count *= d;
    const need = count * dtypeSize(t.dtype);
    if (!Number.isSafeInteger(need))
      fail(file, t.name, 'has a shape whose byte size overflows', 'a byte size below 2^53', `[${t.shape}]`);
    if (t.end - t.begin !== need) {
      fail(
        file,
        t.name,
        `shape [${t.shape}] × ${t.dtype} (${dtypeSize(t.dtype)} bytes) does not match data_offsets [${t.begin}, ${t.end}]`,
        `${need} bytes`,
        `${t.end - t.begin} bytes`,
      );
    }
    if (t.end > dataBytes) {
      fail(
        file,
        t.name,
        `data_offsets [${t.begin}, ${t.end}] run past the end of the data buffer (truncated file or out-of-range offsets)`,
        `end ≤ ${dataBytes}`,
        `${t.end}`,
      );
    }
    cursor = t.end;
    prev = t;
  }
  if (cursor !== dataBytes) {
    const detail = prev
      ? `(the last tensor) is followed by ${dataBytes - cursor} unclaimed bytes at the end of the file`
      : `has ${dataBytes} data bytes but no tensors`;
    fail(file, prev?.name, detail, `a data buffer of ${cursor} bytes`, `${dataBytes} bytes`);
  }
  return { headerBytes: bytes.length, dataStart: 8 + bytes.length, tensors, metadata };
}

/**
 * Header bytes for tensors laid out in the given order: compact JSON with `__metadata__` first
 * (when given), then each tensor in offset order, padded with spaces to a multiple of 8
 * (reference: safetensors/src/tensor.rs prepare).
 */
export function buildHeader(
  tensors: readonly TensorInfo[],
  metadata: Readonly<Record<string, string>> | undefined,
): Uint8Array {
  // Built by hand rather than from an object: JS objects move integer-like keys ("0") first and
  // treat "__proto__" specially; the header must list tensors in offset order, names verbatim.
  const parts: string[] = [];
  if (metadata !== undefined) parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  for (const t of tensors) {
    parts.push(
      `${JSON.stringify(t.name)}:{"dtype":"${t.dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${t.begin},${t.end}]}`,
    );
  }
  let text = `{${parts.join(',')}}`;
  const len = new TextEncoder().encode(text).length;
  text += ' '.repeat((8 - (len % 8)) % 8);
  return new TextEncoder().encode(text);
}
