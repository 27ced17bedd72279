import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '../errors.ts';
import { serializeSafetensors, writeSafetensors } from './writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'dlm-st-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function headerText(bytes: Uint8Array): { n: number; text: string } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { n, text: new TextDecoder().decode(bytes.subarray(8, 8 + n)) };
}

describe('serializeSafetensors', () => {
  it('reproduces the reference serializer bytes for one F32 tensor (safetensors tensor.rs test_serialization)', () => {
    const out = serializeSafetensors({ 'attn.0': { dtype: 'F32', shape: [1, 2, 3], data: [0, 1, 2, 3, 4, 5] } });
    const { n, text } = headerText(out);
    expect(n).toBe(64);
    expect(text).toBe('{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}');
    expect(out.length).toBe(8 + 64 + 24);
    expect([...out.subarray(72, 80)]).toEqual([0, 0, 0, 0, 0, 0, 128, 63]); // 0.0f, 1.0f little-endian
  });

  it('pads the header with spaces to a multiple of 8 (reference test_serialization_forced_alignement)', () => {
    const out = serializeSafetensors({ attn0: { dtype: 'F32', shape: [1, 1, 2, 3], data: [0, 1, 2, 3, 4, 5] } });
    const { n, text } = headerText(out);
    expect(n).toBe(72);
    expect(text).toBe(`{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}${' '.repeat(7)}`);
  });

  it('empty file and metadata-only file match the reference (test_empty)', () => {
    expect([...serializeSafetensors({})]).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    const withMeta = serializeSafetensors({}, { framework: 'pt' });
    expect(headerText(withMeta)).toEqual({ n: 40, text: '{"__metadata__":{"framework":"pt"}}     ' });
  });

  it('packs by descending dtype alignment, then by name, with __metadata__ first', () => {
    const out = serializeSafetensors(
      new Map([
        ['b', { dtype: 'F32' as const, shape: [1], data: [1] }],
        ['a', { dtype: 'F32' as const, shape: [1], data: [2] }],
        ['z8', { dtype: 'U8' as const, shape: [3], data: [1, 2, 3] }],
        ['i64', { dtype: 'I64' as const, shape: [1], data: [7] }],
        ['0', { dtype: 'F32' as const, shape: [], data: [3] }],
      ]),
      { format: 'pt' },
    );
    const { text } = headerText(out);
    const order = [...text.matchAll(/"([^"]+)":\{/g)].map((m) => m[1]);
    expect(order).toEqual(['__metadata__', 'i64', '0', 'a', 'b', 'z8']);
    expect(text).toContain('"i64":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}');
    expect(text).toContain('"0":{"dtype":"F32","shape":[],"data_offsets":[8,12]}');
    expect(text).toContain('"z8":{"dtype":"U8","shape":[3],"data_offsets":[20,23]}');
  });

  it('refuses bad inputs with errors naming the tensor', () => {
    expect(() => serializeSafetensors({ w: { dtype: 'F32', shape: [2, 2], data: [1, 2, 3] } })).toThrow(ShapeError);
    expect(() => serializeSafetensors({ w: { dtype: 'F32', shape: [2, 2], data: [1, 2, 3] } })).toThrow(
      /"w".*4 values/,
    );
    expect(() => serializeSafetensors({ w: { dtype: 'F12' as never, shape: [1], data: [1] } })).toThrow(ConfigError);
    expect(() => serializeSafetensors({ ids: { dtype: 'I32', shape: [2], data: [1, 2 ** 31] } })).toThrow(
      /"ids".*2147483648 at flat index 1/,
    );
    expect(() => serializeSafetensors({ m: { dtype: 'BOOL', shape: [1], data: [2] } })).toThrow(ConfigError);
    expect(() => serializeSafetensors({ q: { dtype: 'I64', shape: [1], data: [0.5] } })).toThrow(ConfigError);
    expect(() => serializeSafetensors({ __metadata__: { dtype: 'F32', shape: [1], data: [1] } })).toThrow(/reserved/);
    expect(() => serializeSafetensors({}, { step: 3 as unknown as string })).toThrow(/metadata.step/);
  });
});

describe('writeSafetensors', () => {
  it('writes the same bytes as serializeSafetensors, atomically, replacing an existing file', () => {
    const path = join(dir, 'model.safetensors');
    writeFileSync(path, 'old contents');
    const tensors = {
      w: { dtype: 'BF16' as const, shape: [2], data: [1.5, -3] },
      b: { dtype: 'I64' as const, shape: [2], data: [-1, 5] },
    };
    writeSafetensors(path, tensors, { format: 'pt' });
    expect(new Uint8Array(readFileSync(path))).toEqual(serializeSafetensors(tensors, { format: 'pt' }));
    expect(readdirSync(dir)).toEqual(['model.safetensors']); // no temp file left behind
  });

  it('leaves the old file untouched and no temp file when encoding fails', () => {
    const path = join(dir, 'keep.safetensors');
    writeFileSync(path, 'keep me');
    expect(() => writeSafetensors(path, { w: { dtype: 'F8_E4M3', shape: [1], data: [1] } })).toThrow(ConfigError);
    expect(readFileSync(path, 'utf8')).toBe('keep me');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
