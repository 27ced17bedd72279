// Safetensors element types: byte sizes, and the float16 / bfloat16 codecs.
//
// Dtype names and sizes follow the format's reference implementation
// (huggingface/safetensors safetensors/src/tensor.rs, enum Dtype). The list order is the
// reference's alignment order; its writer packs tensors by descending position in it.

export const DTYPES = [
  'BOOL',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'I16',
  'U16',
  'F16',
  'BF16',
  'I32',
  'U32',
  'F32',
  'F64',
  'I64',
  'U64',
] as const;

export type SafetensorsDtype = (typeof DTYPES)[number];

const SIZES: Record<SafetensorsDtype, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

export function isDtype(x: unknown): x is SafetensorsDtype {
  return typeof x === 'string' && (DTYPES as readonly string[]).includes(x);
}

/** Bytes per element. */
export function dtypeSize(dtype: SafetensorsDtype): number {
  return SIZES[dtype];
}

/** Position in the reference's alignment order (higher = packed first by the writer). */
export function dtypeRank(dtype: SafetensorsDtype): number {
  return DTYPES.indexOf(dtype);
}

/** Round half to even of a non-negative float64 (exact: floor and subtraction are exact here). */
function roundHalfEven(y: number): number {
  const f = Math.floor(y);
  const d = y - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Encode a float64 into an IEEE-style binary float with `expBits` exponent and `manBits` mantissa
 * bits, rounding to nearest-even directly from the double (no float32 double rounding).
 * NaN → the quiet NaN with only the top mantissa bit set (what torch writes).
 */
function encodeSmallFloat(x: number, expBits: number, manBits: number): number {
  const bias = (1 << (expBits - 1)) - 1;
  const expMax = (1 << expBits) - 1;
  const signBit = 1 << (expBits + manBits);
  if (Number.isNaN(x)) return (expMax << manBits) | (1 << (manBits - 1));
  const sign = x < 0 || Object.is(x, -0) ? signBit : 0;
  const a = Math.abs(x);
  // Overflow threshold: halfway between the largest finite value and 2^(bias+1) rounds to inf (even).
  if (a >= (2 - 2 ** -(manBits + 1)) * 2 ** bias) return sign | (expMax << manBits);
  const emin = 1 - bias;
  if (a < 2 ** emin) {
    // Subnormal (unit 2^(emin − manBits)); a carry into 2^manBits is the smallest normal, as wanted.
    return sign | roundHalfEven(a * 2 ** (manBits - emin));
  }
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const m = roundHalfEven(a * 2 ** (manBits - e)); // in [2^manBits, 2^(manBits+1)]
  // A mantissa carry (m = 2^(manBits+1)) increments the exponent field through the addition.
  return sign | (((e + bias) << manBits) + (m - (1 << manBits)));
}

function decodeSmallFloat(bits: number, expBits: number, manBits: number): number {
  const bias = (1 << (expBits - 1)) - 1;
  const expMax = (1 << expBits) - 1;
  const sign = (bits >> (expBits + manBits)) & 1 ? -1 : 1;
  const e = (bits >> manBits) & expMax;
  const m = bits & ((1 << manBits) - 1);
  if (e === 0) return sign * m * 2 ** (1 - bias - manBits);
  if (e === expMax) return m === 0 ? sign * Infinity : NaN;
  return sign * (1 + m / 2 ** manBits) * 2 ** (e - bias);
}

/** IEEE binary16 bits (uint16) of x, round to nearest even. */
export function f16Bits(x: number): number {
  return encodeSmallFloat(x, 5, 10);
}

/** bfloat16 bits (uint16) of x, round to nearest even. */
export function bf16Bits(x: number): number {
  return encodeSmallFloat(x, 8, 7);
}

/** Value of IEEE binary16 bits. */
export function f16Value(bits: number): number {
  return decodeSmallFloat(bits & 0xffff, 5, 10);
}

/** Value of bfloat16 bits (exactly the float32 with these as its upper 16 bits). */
export function bf16Value(bits: number): number {
  return decodeSmallFloat(bits & 0xffff, 8, 7);
}

let f16Table: Float32Array | undefined;

/** Decode a run of binary16 values through a 64 Ki-entry table (fast for large tensors). */
export function decodeF16(src: Uint16Array): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let b = 0; b < 65536; b++) f16Table[b] = f16Value(b);
  }
  const out = new Float32Array(src.length);
  const t = f16Table;
  for (let i = 0; i < src.length; i++) out[i] = t[src[i]!]!;
  return out;
}

/** Decode bfloat16: shift the bits into the top half of a float32 word (exact). */
export function decodeBF16(src: Uint16Array): Float32Array {
  const words = new Uint32Array(src.length);
  for (let i = 0; i < src.length; i++) words[i] = src[i]! << 16;
  return new Float32Array(words.buffer);
}

export function encodeF16(src: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = f16Bits(src[i]!);
  return out;
}

export function encodeBF16(src: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = bf16Bits(src[i]!);
  return out;
}

/** True on little-endian hosts (every platform Node ships for); safetensors data is little-endian. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
