// Samples longer than the model length, as MDLM's semi-autoregressive sampler
// (kuleshov-group/mdlm:diffusion.py:Diffusion.sample_subs_guidance): generate one window of
// model.length tokens; then, num_strides times, slide the window by stride_length, keep its
// last (model.length − stride_length) tokens as a fixed prefix, and denoise the new tail.
// Output: the first window's head plus every stride, cut to the requested length.
import { ConfigError, type Nd, type Rng } from '@dlm/core';

/** One window: [num, window] tokens with `init` fixed where it is not the mask. */
export type WindowSampler = (init: Nd<Int32Array> | undefined, rng: Rng) => { x: Nd<Int32Array>; nfe: number };

export function semiArSample(o: {
  num: number;
  length: number;
  window: number;
  strideLength: number;
  maskIndex: number;
  rng: Rng;
  sampleWindow: WindowSampler;
}): { ids: Nd<Int32Array>; nfe: number } {
  const { num: B, window: W, strideLength: S } = o;
  if (!(Number.isInteger(S) && S >= 1 && S <= W)) {
    throw new ConfigError({
      op: 'mdlm semi-AR sampling',
      arg: 'stride_length',
      expected: `an integer in [1, model.length = ${W}]`,
      got: String(S),
    });
  }
  const numStrides = Math.max(0, Math.ceil((o.length - W) / S));
  const total = W + numStrides * S;
  const out = new Int32Array(B * total);
  const first = o.sampleWindow(undefined, o.rng.split('stride-0'));
  let nfe = first.nfe;
  let x = first.x;
  for (let b = 0; b < B; b++) out.set(x.data.subarray(b * W, (b + 1) * W), b * total);
  for (let k = 1; k <= numStrides; k++) {
    const init = new Int32Array(B * W).fill(o.maskIndex);
    // the window's last W − S tokens become the new window's first W − S tokens
    for (let b = 0; b < B; b++) init.set(x.data.subarray(b * W + S, (b + 1) * W), b * W);
    const r = o.sampleWindow({ data: init, shape: [B, W] }, o.rng.split(`stride-${k}`));
    nfe += r.nfe;
    x = r.x;
    for (let b = 0; b < B; b++) out.set(x.data.subarray(b * W + (W - S), (b + 1) * W), b * total + W + (k - 1) * S);
  }
  const L = o.length;
  const ids = new Int32Array(B * L);
  for (let b = 0; b < B; b++) ids.set(out.subarray(b * total, b * total + L), b * L);
  return { ids: { data: ids, shape: [B, L] }, nfe };
}
