// Checkers for diffusion_lm.json (Diffusion-LM: sqrt schedule, x0 prediction, e2e loss).
// Case families and tolerances: gaussian-common.ts.
import type { Dispatcher } from '../harness.ts';
import { routeGaussian } from './gaussian-common.ts';

export const diffusionLm: Dispatcher = {
  file: 'diffusion_lm.json',
  route: routeGaussian,
};
