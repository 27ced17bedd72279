import { describe, expect, it } from 'vitest';
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { ShapeError } from '@dlm/core';
import { crc32, encodePng } from './png.ts';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('crc32', () => {
  it('gives the CRC every PNG ends with (IEND: 0xAE426082) and agrees with zlib', () => {
    expect(crc32(ascii('IEND'))).toBe(0xae426082);
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926); // the CRC-32 check value
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) & 0xff);
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
  });
});

describe('encodePng', () => {
  // 3×2: red, green, blue / white, black, half-transparent grey.
  const rgba = Uint8Array.from([
    255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0, 255, 128, 128, 128, 128,
  ]);
  const png = encodePng(3, 2, rgba);
  const view = new DataView(png.buffer, png.byteOffset);
  it('writes the signature, an IHDR of 3×2 RGBA 8-bit, and IEND with its fixed CRC', () => {
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(view.getUint32(8)).toBe(13);
    expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([3, 2]);
    expect([...png.subarray(24, 29)]).toEqual([8, 6, 0, 0, 0]);
    expect(view.getUint32(29)).toBe(crc32(png.subarray(12, 29)));
    expect([...png.subarray(png.length - 12)]).toEqual([0, 0, 0, 0, 73, 69, 78, 68, 0xae, 0x42, 0x60, 0x82]);
  });
  it('IDAT inflates to the rows, each behind filter byte 0', () => {
    const len = view.getUint32(33);
    expect(String.fromCharCode(...png.subarray(37, 41))).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + len));
    expect([...raw]).toEqual([0, ...rgba.subarray(0, 12), 0, ...rgba.subarray(12)]);
    expect(view.getUint32(41 + len)).toBe(crc32(png.subarray(37, 41 + len)));
  });
  it('refuses pixels of the wrong length', () => {
    expect(() => encodePng(3, 2, new Uint8Array(23))).toThrow(ShapeError);
    expect(() => encodePng(3, 2, new Uint8Array(23))).toThrow(/rgba.*24 bytes \(2×3×4\).*got 23/);
  });
});
