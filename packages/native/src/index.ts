// Loading the @dlm/native addon: the outcome of its build (build/status.json, written by scripts/build.mjs on
// `npm ci`) and then the addon itself. Either the addon, or the reason it is not there, in words for the backend's
// info line and `dlm info`.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The addon's functions. `heap` is a Float32Array view of the whole wasm memory; offsets, strides and lengths
 * count float32 elements of it. Every range is checked against the view (RangeError outside it).
 */
export interface NativeAddon {
  /**
   * C_i = act(op(A_i)·op(B_i) + bias) for i < batch; A_i at aOff + i·aStride (stride 0 shares one matrix),
   * op(A_i) [m, k], op(B_i) [k, n], C_i [m, n] row-major. biasOff < 0: none; biasLen 1 or n (per column).
   * act: 0 linear, 1 relu, 2 relu6, 3 elu, 4 sigmoid, 5 leakyrelu (alpha).
   */
  gemm(
    heap: Float32Array,
    batch: number,
    m: number,
    n: number,
    k: number,
    transA: number,
    transB: number,
    aOff: number,
    aStride: number,
    bOff: number,
    bStride: number,
    cOff: number,
    cStride: number,
    biasOff: number,
    biasLen: number,
    act: number,
    alpha: number,
  ): void;
  /** y = gelu_tanh(x) over n values (core/src/nn/gelu-tanh.ts's formula). */
  geluTanh(heap: Float32Array, xOff: number, yOff: number, n: number): void;
  /** dx = dy · gelu_tanh'(x) over n values. */
  geluTanhGrad(heap: Float32Array, dyOff: number, xOff: number, dxOff: number, n: number): void;
  /** y = (x − mean)/√(var + eps) per row of d values (no affine). */
  layerNorm(heap: Float32Array, xOff: number, yOff: number, rows: number, d: number, eps: number): void;
  /** The input gradient of layerNorm for output gradient dy. */
  layerNormGrad(
    heap: Float32Array,
    dyOff: number,
    xOff: number,
    dxOff: number,
    rows: number,
    d: number,
    eps: number,
  ): void;
  /** nll[r] = logΣexp(z[r]) − z[r, t[r]] for logits z [rows, v] and int32 targets t [rows] (same heap). */
  softmaxCrossEntropy(heap: Float32Array, zOff: number, tOff: number, nllOff: number, rows: number, v: number): void;
  /** dz[r] = dnll[r]·(softmax(z[r]) − onehot(t[r])). */
  softmaxCrossEntropyGrad(
    heap: Float32Array,
    dnllOff: number,
    zOff: number,
    tOff: number,
    dzOff: number,
    rows: number,
    v: number,
  ): void;
  /** y[o, i] = Σ_r x[o, r, i] for x [outer, red, inner] (float64 accumulators). */
  sumMiddle(heap: Float32Array, xOff: number, yOff: number, outer: number, red: number, inner: number): void;
  /**
   * y[o, c, :] = x[o, idx[c], :] for x [outer, n, inner] and int32 idx [count] on the same heap (RangeError for an
   * index outside [0, n)).
   */
  gather(
    heap: Float32Array,
    xOff: number,
    idxOff: number,
    yOff: number,
    outer: number,
    n: number,
    inner: number,
    count: number,
  ): void;
  /**
   * One AdamW update of n values into new buffers (core/src/optim/adamw.ts's float32 operation order):
   * m' = m·β1 + g·(1 − β1), v' = v·β2 + g²·(1 − β2), p' = p·decay − m'/(√v'/bc2Sqrt + eps)·stepSize (p·decay only
   * when `decays` is 1).
   */
  adamw(
    heap: Float32Array,
    pOff: number,
    mOff: number,
    vOff: number,
    gOff: number,
    pOutOff: number,
    mOutOff: number,
    vOutOff: number,
    n: number,
    beta1: number,
    beta2: number,
    eps: number,
    bc2Sqrt: number,
    stepSize: number,
    decay: number,
    decays: number,
  ): void;
  /**
   * y = x with its axes permuted (y's axis i is x's axis perm[i]), rank ≤ 6, 4-byte elements; x's dims then perm
   * follow as six values each (padded with 0s).
   */
  transpose(heap: Float32Array, xOff: number, yOff: number, rank: number, ...dimsThenPerm: number[]): void;
  /** y = x[begin : begin + size] per axis, rank ≤ 6, 4-byte elements; x's dims, begin, size as six values each. */
  slice(heap: Float32Array, xOff: number, yOff: number, rank: number, ...dimsBeginSize: number[]): void;
  /**
   * y = x with b[i] values before and e[i] after along axis i, all equal to `value` (PadV2), rank ≤ 6, 4-byte
   * elements; x's dims, b, e as six values each, then the value.
   */
  pad(heap: Float32Array, xOff: number, yOff: number, rank: number, ...dimsBeforeAfterValue: number[]): void;
  /** y = x·r per row of d values, r = 1/√(mean(x²) + eps) (RMSNorm without weight; statistics in float64). */
  rmsNorm(heap: Float32Array, xOff: number, yOff: number, rows: number, d: number, eps: number): void;
  /** The input gradient of rmsNorm for output gradient dy: r·(dy − ŷ·mean(dy·ŷ)), ŷ = x·r. */
  rmsNormGrad(
    heap: Float32Array,
    dyOff: number,
    xOff: number,
    dxOff: number,
    rows: number,
    d: number,
    eps: number,
  ): void;
  /**
   * Rotate-half rotary embedding of x [outer, l, hd] with tables cos, sin [l, hd]: y = x·cos + R(x)·sin,
   * R(x) = concat(−x[hd/2:], x[:hd/2]); grad = 1 applies the transposed map to x (= dy) instead.
   */
  rotary(
    heap: Float32Array,
    xOff: number,
    cosOff: number,
    sinOff: number,
    yOff: number,
    outer: number,
    l: number,
    hd: number,
    grad: number,
  ): void;
  /** y = softmax(x) per row of d values (the sum in float64). */
  softmax(heap: Float32Array, xOff: number, yOff: number, rows: number, d: number): void;
  /**
   * y [numSegments, inner] = 0, then y[ids[i], :] += x[i, :] for i < n in float32, i ascending; int32 ids on the
   * same heap, negative ids dropped (RangeError for an id ≥ numSegments, before anything is written).
   */
  segmentSum(
    heap: Float32Array,
    xOff: number,
    idsOff: number,
    yOff: number,
    n: number,
    inner: number,
    numSegments: number,
  ): void;
  /**
   * y[i] = a[i·sa] ∘ b[i·sb] over the output dims d (rank ≤ 6, y contiguous; sa, sb the inputs' strides per output
   * axis, 0 along a broadcast axis); op 0 add, 1 sub, 2 mul, 3 div. d, sa, sb as six values each.
   */
  binary(
    heap: Float32Array,
    op: number,
    aOff: number,
    bOff: number,
    yOff: number,
    rank: number,
    ...dimsThenStrides: number[]
  ): void;
  /** Threads of the addon's pool (BLAS itself runs single-threaded inside the pool's parts). */
  setThreads(n: number): void;
  /** The pool's thread count. */
  getThreads(): number;
  /** The BLAS library's own description (OpenBLAS: version, core, MAX_THREADS). */
  blasInfo(): string;
}

/** Every function of the addon, by name. */
export const NATIVE_FUNCTIONS = [
  'gemm',
  'geluTanh',
  'geluTanhGrad',
  'layerNorm',
  'layerNormGrad',
  'softmaxCrossEntropy',
  'softmaxCrossEntropyGrad',
  'sumMiddle',
  'gather',
  'adamw',
  'transpose',
  'slice',
  'pad',
  'rmsNorm',
  'rmsNormGrad',
  'rotary',
  'softmax',
  'segmentSum',
  'binary',
  'setThreads',
  'getThreads',
  'blasInfo',
] as const satisfies readonly (keyof NativeAddon)[];

export type NativeLoad = { ok: true; addon: NativeAddon; blas: string } | { ok: false; reason: string };

/** What scripts/build.mjs recorded. */
interface BuildStatus {
  built: boolean;
  reason?: string;
  blas?: string;
  addon?: string;
}

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUILD_STATUS_FILE = path.join(pkgDir, 'build', 'status.json');
const ADDON_FILE = path.join(pkgDir, 'build', 'Release', 'dlm_native.node');

let loaded: NativeLoad | undefined;

function readStatus(): BuildStatus | string {
  if (!existsSync(BUILD_STATUS_FILE))
    return 'not built (no build/status.json: run `npm ci`, or `node packages/native/scripts/build.mjs`)';
  try {
    return JSON.parse(readFileSync(BUILD_STATUS_FILE, 'utf8')) as BuildStatus;
  } catch (e) {
    return `unreadable ${BUILD_STATUS_FILE}: ${(e as Error).message}`;
  }
}

/** The addon, loaded once; or why it cannot be used. */
export function loadNative(): NativeLoad {
  if (loaded) return loaded;
  const status = readStatus();
  if (typeof status === 'string') return (loaded = { ok: false, reason: status });
  if (!status.built) return (loaded = { ok: false, reason: `not built: ${status.reason ?? 'no reason recorded'}` });
  try {
    const addon = createRequire(import.meta.url)(ADDON_FILE) as NativeAddon;
    return (loaded = { ok: true, addon, blas: addon.blasInfo() });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0] ?? String(e);
    return (loaded = { ok: false, reason: `built but failed to load: ${msg}` });
  }
}
