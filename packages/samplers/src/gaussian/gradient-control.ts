// Gradient-based control of the Gaussian chain (Diffusion-LM §5.2, "plug-and-play" control with a classifier on
// noisy embeddings). After each sampling step the new sample x = x_{k−1} is moved by K gradient steps on
//   loss(x) = (1/B)·Σ_b [ λ·(−log p(c | x_b, t)) + Σ_{l,d} (μ_b − x_b)² / σ'_b ]        σ'_b = σ_b, or 1 if σ_b = 0
// where μ, σ are the step's mean and standard deviation (the fluency term keeps x near what the diffusion model
// proposed) and t is the original timestep of x. Each of the K steps is one update of a FRESH Adagrad (lr = step
// size, eps 1e-10, no accumulated state), i.e. per element
//   x ← x − lr·g / (sqrt(g²) + 1e-10)                                   (≈ lr·sign(g): a signed step of size lr)
// Chain steps k < skipBelow are not controlled. No Langevin noise is added (the reference multiplies it by 0).
// Source: XiangLi1999/Diffusion-LM improved-diffusion/scripts/infill_util.py:langevin_fn3 @1b8b3db (K = 3, or 0
// when t < 10 of its 200-step chain; Adagrad lr 0.1 re-created every iteration; classifier at t − 1; loss =
// classifier CE + coef·((mean − x)²/sigma).mean(0).sum() with coef 0.01, sigma replaced by 1 when its mean is 0),
// called by gaussian_diffusion.py:ddim_sample as langevin_fn(sample, mean_pred, sigma, …) with eta = 1 (README).
// Two points to know when comparing with the paper:
//  - the reference divides by σ (DDIM's standard deviation), not σ² as log N(x; μ, σ²) would;
//  - it weights the FLUENCY term (coef) and leaves the classifier at 1. Here λ weights the classifier and the
//    fluency term has weight 1. Because every step is a signed step the update depends on the ratio only, so
//    λ = 1/coef: langevin_fn3's coef 0.01 is λ = 100.
// λ = 0 (or K = 0) returns the sample unchanged: there is then no attribute to steer towards, and the fluency
// term alone would only pull x towards μ.
import { ConfigError, brief, tf, type Nd } from '@dlm/core';
import type { GaussianStepControl, GaussianStepState } from './loop-common.ts';

export interface GradientControlOptions {
  /**
   * −log p(c | x, t) per row [B] for the target attribute c, differentiable in x [B, L, D] (float32); `timestep`
   * is the original timestep of x (GaussianStepState.timestep).
   */
  nll: (x: tf.Tensor3D, timestep: number) => tf.Tensor1D;
  /** λ ≥ 0: weight of the classifier term (0 = off). */
  weight: number;
  /** K: gradient steps per chain step (integer ≥ 0). */
  steps: number;
  /** Adagrad learning rate = the size of each signed step (reference 0.1). */
  stepSize: number;
  /** Chain steps k < skipBelow are left alone (langevin_fn3: t < 10 of 200); default 0. */
  skipBelow?: number;
  /** Called after each controlled chain step with the mean classifier NLL before and after its K steps. */
  onStep?: (info: { k: number; nllBefore: number; nllAfter: number }) => void;
}

const ADAGRAD_EPS = 1e-10; // torch.optim.Adagrad default

function check(o: GradientControlOptions): void {
  const op = 'gradientControl';
  if (!(Number.isFinite(o.weight) && o.weight >= 0))
    throw new ConfigError({ op, arg: 'weight', expected: 'a number ≥ 0 (λ; 0 = off)', got: brief(o.weight) });
  if (!(Number.isInteger(o.steps) && o.steps >= 0))
    throw new ConfigError({ op, arg: 'steps', expected: 'an integer ≥ 0 (K)', got: brief(o.steps) });
  if (!(Number.isFinite(o.stepSize) && o.stepSize > 0))
    throw new ConfigError({ op, arg: 'stepSize', expected: 'a number > 0', got: brief(o.stepSize) });
  const skip = o.skipBelow ?? 0;
  if (!(Number.isInteger(skip) && skip >= 0))
    throw new ConfigError({ op, arg: 'skipBelow', expected: 'an integer ≥ 0', got: brief(skip) });
}

/** Σ_b −log p(c | x_b, t) and its gradient ∂/∂x [B, L, D] (host float64). */
function classifierGrad(o: GradientControlOptions, x: Nd, timestep: number): { nll: number; grad: Float64Array } {
  const shape = x.shape as [number, number, number];
  const [value, grad] = tf.tidy(() => {
    const xt = tf.tensor3d(Float32Array.from(x.data), shape);
    const f = (v: tf.Tensor) => tf.sum(o.nll(v as tf.Tensor3D, timestep));
    const r = tf.valueAndGrad(f)(xt);
    return [r.value, r.grad];
  });
  const out = { nll: value.dataSync()[0]!, grad: Float64Array.from(grad.dataSync()) };
  tf.dispose([value, grad]);
  return out;
}

/** The step control of the options (pass it as `control` of gaussianSampleLoop / gaussianDdimLoop). */
export function gradientControl(o: GradientControlOptions): GaussianStepControl {
  check(o);
  const skipBelow = o.skipBelow ?? 0;
  return (s: GaussianStepState): Nd => {
    if (o.weight === 0 || o.steps === 0 || s.k < skipBelow) return s.sample;
    const B = s.sample.shape[0]!;
    const n = s.sample.data.length / B;
    const x = Float64Array.from(s.sample.data);
    const mu = s.mean.data;
    const cur: Nd = { data: x, shape: [...s.sample.shape] };
    let nllBefore = NaN;
    for (let i = 0; i < o.steps; i++) {
      const c = classifierGrad(o, cur, s.timestep);
      if (i === 0) nllBefore = c.nll / B;
      for (let j = 0; j < x.length; j++) {
        const b = Math.floor(j / n);
        const sig = s.sigma[b] === 0 ? 1 : s.sigma[b]!;
        // ∂loss/∂x = (λ·∂nll_b/∂x + 2·(x − μ)/σ') / B
        const g = (o.weight * c.grad[j]! + (2 * (x[j]! - mu[j]!)) / sig) / B;
        x[j]! -= (o.stepSize * g) / (Math.sqrt(g * g) + ADAGRAD_EPS);
      }
    }
    if (o.onStep) o.onStep({ k: s.k, nllBefore, nllAfter: classifierGrad(o, cur, s.timestep).nll / B });
    return cur;
  };
}
