import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import {
  bf16Bits,
  bf16Value,
  decodeBF16,
  decodeF16,
  dtypeSize,
  encodeBF16,
  encodeF16,
  f16Bits,
  f16Value,
} from './dtypes.ts';

describe('float16 codec', () => {
  it('known bit patterns (IEEE binary16)', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff],
      [-65504, 0xfbff],
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
      [NaN, 0x7e00],
      [2 ** -24, 0x0001],
      [2 ** -14 - 2 ** -24, 0x03ff],
      [2 ** -14, 0x0400],
      [1 / 3, 0x3555],
      [0.1, 0x2e66],
    ];
    for (const [x, bits] of cases) expect(f16Bits(x), `f16Bits(${x})`).toBe(bits);
  });

  it('rounds to nearest, ties to even, at normal, subnormal and overflow boundaries', () => {
    expect(f16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie → even (mantissa 0)
    expect(f16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (mantissa 2)
    expect(f16Bits(1 + 2 ** -11 + 2 ** -30)).toBe(0x3c01); // just above the tie
    expect(f16Bits(2 ** -25)).toBe(0x0000); // half the smallest subnormal: tie → 0
    expect(f16Bits(1.5 * 2 ** -25)).toBe(0x0001);
    expect(f16Bits(3 * 2 ** -25)).toBe(0x0002); // tie between 1 and 2 units → 2
    expect(f16Bits(2 ** -14 - 2 ** -25)).toBe(0x0400); // tie between max subnormal and min normal → even (min normal)
    expect(f16Bits(65519.99)).toBe(0x7bff);
    expect(f16Bits(65520)).toBe(0x7c00); // tie between 65504 and 2^16 → even → inf
    expect(f16Bits(-1e300)).toBe(0xfc00);
    expect(f16Bits(-1e-300)).toBe(0x8000);
  });

  it('every non-NaN pattern round-trips and NaN patterns decode to NaN', () => {
    const table = decodeF16(Uint16Array.from({ length: 65536 }, (_, i) => i));
    let nan = 0;
    const bad: string[] = [];
    for (let b = 0; b < 65536; b++) {
      const v = f16Value(b);
      // The float32 table holds the exact value (every f16 is an exact float32).
      if (!Object.is(table[b], v) && !(Number.isNaN(v) && Number.isNaN(table[b]!))) bad.push(`table ${b}`);
      if (Number.isNaN(v)) nan++;
      else if (f16Bits(v) !== b) bad.push(`bits ${b.toString(16)} → ${v} → ${f16Bits(v).toString(16)}`);
    }
    expect(bad).toEqual([]);
    expect(nan).toBe(2 * 1023);
  });

  it('encodes random doubles to the nearest representable value', () => {
    const rng = Rng.seeded(5);
    for (let i = 0; i < 5000; i++) {
      const x = (rng.uniform() - 0.5) * 2 ** rng.int(-30, 18);
      const b = f16Bits(x);
      const err = Math.abs(f16Value(b) - x);
      for (const nb of [b - 1, b + 1]) {
        const v = f16Value(nb & 0xffff);
        if (Number.isFinite(v) && (nb & 0x7fff) !== 0x7fff) expect(err).toBeLessThanOrEqual(Math.abs(v - x));
      }
    }
  });
});

describe('bfloat16 codec', () => {
  it('known bit patterns', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3f80],
      [-2, 0xc000],
      [3.140625, 0x4049],
      [Infinity, 0x7f80],
      [-Infinity, 0xff80],
      [NaN, 0x7fc0],
      [2 ** -133, 0x0001],
      [2 ** -126, 0x0080],
      [2 ** -126 - 2 ** -133, 0x007f],
      [3.3895313892515355e38, 0x7f7f],
    ];
    for (const [x, bits] of cases) expect(bf16Bits(x), `bf16Bits(${x})`).toBe(bits);
    expect(bf16Bits(1 + 2 ** -8)).toBe(0x3f80); // tie → even
    expect(bf16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(bf16Bits(3.4e38)).toBe(0x7f80); // above the overflow midpoint
  });

  it('matches the float32 bit trick (round-to-nearest-even on the top half) on random float32s', () => {
    const rng = Rng.seeded(6);
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    const bad: number[] = [];
    for (let i = 0; i < 20000; i++) {
      u[0] = rng.nextUint32();
      if (Number.isNaN(f[0]!)) continue;
      const bits = u[0]!;
      const expected = ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
      if (bf16Bits(f[0]!) !== expected) bad.push(bits);
    }
    expect(bad).toEqual([]);
  });

  it('decode is exact: every pattern equals the float32 with those upper bits', () => {
    const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const decoded = decodeBF16(all);
    const bad: number[] = [];
    for (let b = 0; b < 65536; b++) {
      const v = bf16Value(b);
      if (Number.isNaN(v) ? !Number.isNaN(decoded[b]!) : !Object.is(decoded[b], v) || bf16Bits(v) !== b) bad.push(b);
    }
    expect(bad).toEqual([]);
  });

  it('array encoders agree with the scalar ones', () => {
    const xs = [0, -0, 1.1, -7.25e-6, 1e5, NaN, -Infinity];
    expect([...encodeF16(xs)]).toEqual(xs.map(f16Bits));
    expect([...encodeBF16(xs)]).toEqual(xs.map(bf16Bits));
    expect(dtypeSize('BF16')).toBe(2);
    expect(dtypeSize('I64')).toBe(8);
  });
});
