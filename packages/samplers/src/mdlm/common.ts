// Pieces shared by the MDLM updates: argument checks, the ancestral q(x_s | x_t, x0) step and
// "copy the committed tokens" (MDLM never changes an unmasked token).
import { ConfigError, ShapeError, brief, sampleFromUniforms, type Nd } from '@dlm/core';
import { assertTokenIds } from '../token-ids.ts';
import type { MdlmStepContext } from './types.ts';

export function checkStep(
  op: string,
  ctx: MdlmStepContext,
  x: Nd<Int32Array>,
  t: ArrayLike<number>,
  uniforms: ArrayLike<number>,
): [number, number, number] {
  if (x.shape.length !== 2)
    throw new ShapeError({ op, arg: 'x', expected: 'a [B, L] array', got: `shape [${x.shape}]` });
  const [b, l] = x.shape as [number, number];
  const V = ctx.vocabSize;
  if (!(Number.isInteger(ctx.maskIndex) && ctx.maskIndex >= 0 && ctx.maskIndex < V)) {
    throw new ConfigError({ op, arg: 'maskIndex', expected: `a column in [0, ${V})`, got: brief(ctx.maskIndex) });
  }
  assertTokenIds(op, 'x', x.data, V);
  if (t.length !== b) throw new ShapeError({ op, arg: 't', expected: `${b} times (one per row)`, got: `${t.length}` });
  if (uniforms.length !== b * l * V)
    throw new ShapeError({
      op,
      arg: 'uniforms',
      expected: `[${b}, ${l}, ${V}] = ${b * l * V} values`,
      got: `${uniforms.length}`,
    });
  return [b, l, V];
}

/**
 * The ancestral step given p_θ(x0) [B, L, V] and per-row move chances at t and s < t:
 *   q_xs = p_x0 · (mc_t − mc_s),  q_xs[..., mask] = mc_s   (unnormalised; the 1/mc_t does not change samples)
 *   x_s = x where x ≠ mask, else a sample of q_xs (Exp race with the given uniforms)
 */
export function ancestralStep(
  pX0: Float64Array,
  x: Nd<Int32Array>,
  mcT: ArrayLike<number>,
  mcS: ArrayLike<number>,
  maskIndex: number,
  uniforms: ArrayLike<number>,
): { qXs: Float64Array; xNext: Nd<Int32Array> } {
  const [b, l] = x.shape as [number, number];
  const V = pX0.length / (b * l);
  const qXs = new Float64Array(pX0.length);
  for (let r = 0; r < b; r++) {
    const d = mcT[r]! - mcS[r]!;
    for (let i = r * l * V; i < (r + 1) * l * V; i++) qXs[i] = pX0[i]! * d;
    for (let p = r * l; p < (r + 1) * l; p++) qXs[p * V + maskIndex] = mcS[r]!;
  }
  const sampled = sampleFromUniforms({ data: qXs, shape: [b, l, V] }, { data: uniforms, shape: [b, l, V] });
  return { qXs, xNext: copyCommitted(x, sampled.data, maskIndex) };
}

/** x where x ≠ mask, else `proposal` (kuleshov-group/mdlm: copy_flag·x + (1 − copy_flag)·_x). */
export function copyCommitted(x: Nd<Int32Array>, proposal: ArrayLike<number>, maskIndex: number): Nd<Int32Array> {
  const out = Int32Array.from(x.data, (v, i) => (v !== maskIndex ? v : proposal[i]!));
  return { data: out, shape: [...x.shape] };
}

/** True when some token differs. */
export function changed(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return true;
  return false;
}
