// One dispatcher per fixture file. A file in the fixtures folder without a dispatcher here
// fails the parity test, as does a case its dispatcher does not route.
import type { Dispatcher } from '../harness.ts';
import { schedules } from './schedules.ts';
import { seddGraph } from './sedd-graph.ts';
import { seddSampling } from './sedd-sampling.ts';
import { mdlm } from './mdlm.ts';
import { llada } from './llada.ts';
import { diffusionLm } from './diffusion-lm.ts';
import { diffuseq } from './diffuseq.ts';

export const dispatchers: readonly Dispatcher[] = [
  schedules,
  seddGraph,
  seddSampling,
  mdlm,
  llada,
  diffusionLm,
  diffuseq,
];
