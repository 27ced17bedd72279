// Checkers for diffusion_lm.json. (Being written: until then every case of the file fails.)
import type { Dispatcher } from '../harness.ts';

export const diffusionLm: Dispatcher = {
  file: 'diffusion_lm.json',
  route: () => undefined,
};
