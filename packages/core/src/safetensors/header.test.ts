// Malformed files: each must be a CheckpointError whose message names the file and, where the
// fault belongs to one tensor, that tensor.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors.ts';
import { SafetensorsReader } from './reader.ts';
import { serializeSafetensors } from './writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'dlm-st-header-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file from raw header text and a data buffer of `dataBytes` bytes (N may be overridden). */
function craft(header: string, dataBytes: number, n?: number): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(n ?? h.length), true);
  out.set(h, 8);
  return out;
}

const entry = (dtype: string, shape: number[], begin: number, end: number): string =>
  JSON.stringify({ dtype, shape, data_offsets: [begin, end] });

/** Expect both the in-memory and the on-disk reader to refuse `bytes` with `pattern`, naming the file. */
function expectRefused(bytes: Uint8Array, label: string, pattern: RegExp, tensor?: string): void {
  const check = (fn: () => unknown, file: string): void => {
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(err, `${label}: no error`).toBeInstanceOf(CheckpointError);
    const msg = (err as Error).message;
    expect(msg).toContain(`file ${file}`);
    if (tensor !== undefined) expect(msg).toContain(`tensor ${JSON.stringify(tensor)}`);
    expect(msg).toMatch(pattern);
  };
  check(() => SafetensorsReader.fromBytes(bytes, `${label}.safetensors`), `${label}.safetensors`);
  const path = join(dir, `${label}.safetensors`);
  writeFileSync(path, bytes);
  check(() => SafetensorsReader.open(path), path);
}

describe('malformed safetensors files', () => {
  const good = serializeSafetensors({
    a: { dtype: 'F32', shape: [2, 2], data: [1, 2, 3, 4] },
    b: { dtype: 'F32', shape: [3], data: [5, 6, 7] },
  });

  it('the well-formed file used below reads', () => {
    expect(SafetensorsReader.fromBytes(good).names).toEqual(['a', 'b']);
  });

  it('truncated data names the tensor that runs past the end', () => {
    expectRefused(
      good.subarray(0, good.length - 4),
      'truncated',
      /run past the end of the data buffer.*truncated/,
      'b',
    );
  });

  it('file shorter than 8 bytes', () => {
    expectRefused(new Uint8Array([1, 0, 0]), 'tiny', /shorter than the 8-byte header length/);
  });

  it('header length longer than the file', () => {
    expectRefused(craft('{}', 0, 4096), 'longheader', /header length is longer than the file.*N = 4096/);
    expectRefused(craft('{}', 0, 2 ** 40), 'hugeheader', /header length is too large/);
  });

  it('header not UTF-8, not JSON, or not an object', () => {
    const bad = craft('{}      ', 0);
    bad[9] = 0xff;
    expectRefused(bad, 'notutf8', /not valid UTF-8/);
    expectRefused(craft('{"a": {"dtype": "F32", ', 0), 'notjson', /header is not JSON/);
    expectRefused(craft('[1, 2]', 0), 'array', /header is not a JSON object/);
  });

  it('overlapping offsets name the later tensor and the one it overlaps', () => {
    expectRefused(
      craft(`{"a":${entry('F32', [4], 0, 16)},"b":${entry('F32', [4], 8, 24)}}`, 24),
      'overlap',
      /overlap tensor "a"/,
      'b',
    );
  });

  it('out-of-range offsets', () => {
    expectRefused(
      craft(`{"a":${entry('F32', [4], 0, 16)},"big":${entry('F32', [250000], 16, 1000016)}}`, 32),
      'outofrange',
      /end ≤ 32, got 1000016/,
      'big',
    );
  });

  it('unknown dtype', () => {
    expectRefused(craft(`{"w":${entry('F12', [1], 0, 4)}}`, 4), 'dtype', /unknown dtype.*"F12"/, 'w');
  });

  it('shape / size mismatch', () => {
    expectRefused(
      craft(`{"w":${entry('F32', [3], 0, 16)}}`, 16),
      'shape',
      /shape \[3\] × F32.*expected 12 bytes, got 16 bytes/,
      'w',
    );
    expectRefused(
      craft(`{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, 4),
      'negshape',
      /invalid shape/,
      'w',
    );
    expectRefused(
      craft(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}`, 4),
      'offsets',
      /invalid data_offsets/,
      'w',
    );
    expectRefused(
      craft(`{"w":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}`, 4),
      'backwards',
      /end before begin/,
      'w',
    );
  });

  it('duplicate tensor names (JSON.parse would silently keep the last)', () => {
    expectRefused(
      craft(`{"w":${entry('F32', [1], 0, 4)},"w":${entry('F32', [1], 4, 8)}}`, 8),
      'dup',
      /appears twice/,
      'w',
    );
  });

  it('non-contiguous coverage: a gap between tensors, or bytes after the last one (as the reference rejects)', () => {
    expectRefused(
      craft(`{"a":${entry('F32', [4], 0, 16)},"b":${entry('F32', [4], 20, 36)}}`, 36),
      'gap',
      /gap of 4 bytes after "a"/,
      'b',
    );
    expectRefused(
      craft(`{"a":${entry('F32', [4], 4, 20)}}`, 20),
      'startgap',
      /gap of 4 bytes after the buffer start/,
      'a',
    );
    expectRefused(
      craft(`{"a":${entry('F32', [4], 0, 16)}}`, 24),
      'trailing',
      /is followed by 8 unclaimed bytes at the end of the file/,
      'a',
    );
    expectRefused(craft('{}', 4), 'notensors', /has 4 data bytes but no tensors/);
  });

  it('__metadata__ must map strings to strings', () => {
    expectRefused(craft(`{"__metadata__":{"step":3}}`, 0), 'meta', /__metadata__ value of "step" is not a string/);
    expectRefused(craft(`{"__metadata__":[1]}`, 0), 'meta2', /__metadata__ is not an object/);
  });

  it('a missing file is a CheckpointError naming it', () => {
    expect(() => SafetensorsReader.open(join(dir, 'nope.safetensors'))).toThrow(CheckpointError);
    expect(() => SafetensorsReader.open(join(dir, 'nope.safetensors'))).toThrow(/nope\.safetensors does not exist/);
  });

  it('accepts what the reference accepts: any key order, zero-size tensors sharing an offset, empty header', () => {
    const r = SafetensorsReader.fromBytes(
      craft(
        `{"b":${entry('F32', [1], 4, 8)},"z":${entry('F16', [0], 0, 0)},"a":${entry('F32', [1], 0, 4)},"y":${entry('I64', [2, 0], 0, 0)}}`,
        8,
      ),
    );
    expect(r.names).toEqual(['z', 'y', 'a', 'b']);
    expect(r.tensor('y').shape).toEqual([2, 0]);
    expect(SafetensorsReader.fromBytes(craft('  {}  ', 0)).names).toEqual([]);
  });
});
