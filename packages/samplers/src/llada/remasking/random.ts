// `random` remasking: confidence is a fresh uniform per position (torch.rand((B, L)) in the
// reference), i.e. a uniformly random order of commitment. ML-GSAI/LLaDA:generate.py:generate.
import { ConfigError } from '@dlm/core';
import type { ConfidenceArgs, Remasking } from './types.ts';

export const randomRemasking: Remasking = {
  name: 'random',
  confidence({ rows, length, step, draws }: ConfidenceArgs): Float64Array {
    if (!draws)
      throw new ConfigError({
        op: 'remasking.random',
        arg: 'draws',
        expected: 'a draw provider (an Rng or stored draws)',
      });
    return draws.confidenceUniforms(step, rows * length);
  },
};
