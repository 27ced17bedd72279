// Where LLaDA's random draws come from: an Rng (training / real sampling) or a replay of
// stored arrays (reference fixtures). Step k is the global step index across all blocks.
import { ShapeError, ConfigError, type Rng } from '@dlm/core';

export interface LladaDraws {
  /** `size` uniforms in (0, 1) for the Gumbel noise of step k, laid out as [B, L, V]. */
  gumbelUniforms(step: number, size: number): Float64Array;
  /** `size` uniforms for the `random` remasking confidence of step k, laid out as [B, L]. */
  confidenceUniforms(step: number, size: number): Float64Array;
}

/** Draws from a seeded Rng (independent child streams for the two uses). */
export function rngLladaDraws(rng: Rng): LladaDraws {
  const gumbel = rng.split('gumbel');
  const confidence = rng.split('remasking');
  return {
    gumbelUniforms: (_step, size) => {
      const out = new Float64Array(size);
      // Open interval: −log(0) would make every ratio 0 and −log(1) divides by 0.
      for (let i = 0; i < size; i++) out[i] = gumbel.uniformOpen();
      return out;
    },
    confidenceUniforms: (_step, size) => confidence.uniforms(size),
  };
}

function replay(name: string, perStep: ArrayLike<number>[] | undefined, step: number, size: number): Float64Array {
  const op = 'replayLladaDraws';
  const a = perStep?.[step];
  if (!a)
    throw new ConfigError({
      op,
      arg: name,
      expected: `stored draws for step ${step}`,
      got: `${perStep?.length ?? 0} steps stored`,
    });
  if (a.length !== size)
    throw new ShapeError({ op, arg: `${name}[${step}]`, expected: `${size} values`, got: `${a.length}` });
  return Float64Array.from(a);
}

/** Replays stored per-step draws (flat row-major arrays), e.g. `gumbel_uniforms_per_step`. */
export function replayLladaDraws(stored: {
  gumbelPerStep?: ArrayLike<number>[];
  confidencePerStep?: ArrayLike<number>[];
}): LladaDraws {
  return {
    gumbelUniforms: (step, size) => replay('gumbelPerStep', stored.gumbelPerStep, step, size),
    confidenceUniforms: (step, size) => replay('confidencePerStep', stored.confidencePerStep, step, size),
  };
}
