export * from './p-sample.ts';
export * from './p-sample-loop.ts';
export * from './ddim.ts';
export * from './respace.ts';
export * from './clamp-step.ts';
export * from './gradient-control.ts';
export {
  drawNoise,
  initialSample,
  sampleTimestep,
  type GaussianStepControl,
  type GaussianStepState,
  type HostDenoiser,
} from './loop-common.ts';
