export * from './p-sample.ts';
export * from './p-sample-loop.ts';
export * from './ddim.ts';
export * from './respace.ts';
export * from './clamp-step.ts';
export * from './gradient-control.ts';
export * from './skip-step.ts';
export * from './ar-diffusion-loop.ts';
export {
  drawNoise,
  initialSample,
  sampleTimestep,
  type GaussianStepControl,
  type GaussianStepState,
  type HostDenoiser,
} from './loop-common.ts';
