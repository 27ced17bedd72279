// A minimal PNG encoder (8-bit RGBA, no interlace, filter 0 on every row) on node:zlib, for plots beside their SVG.
// Format (PNG specification, 2nd ed., W3C 2003): the 8-byte signature, then chunks
//   length (u32 BE) | type (4 ASCII) | data | CRC-32 (u32 BE) over type + data
// IHDR = width, height (u32 BE), bit depth 8, colour type 6 (RGBA), compression 0, filter 0, interlace 0;
// IDAT = zlib stream of the rows, each prefixed by its filter byte (0 = none); IEND empty.
// CRC-32: the reflected polynomial 0xEDB88320, initial and final xor 0xFFFFFFFF (ISO 3309, as zlib's crc32).
import { deflateSync } from 'node:zlib';
import { ShapeError } from '@dlm/core';

const SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of `bytes` (the one PNG and zlib use). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * PNG bytes of an image. `rgba`: [height, width, 4] row-major, 8 bits per channel (length width·height·4).
 */
export function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new ShapeError({
      op: 'encodePng',
      arg: 'width, height',
      expected: 'positive integers',
      got: `${width}, ${height}`,
    });
  }
  if (rgba.length !== width * height * 4) {
    throw new ShapeError({
      op: 'encodePng',
      arg: 'rgba',
      expected: `${width * height * 4} bytes (${height}×${width}×4)`,
      got: `${rgba.length}`,
    });
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const stride = width * 4;
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const parts = [SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
