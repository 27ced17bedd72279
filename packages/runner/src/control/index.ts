// Gradient-based control (Diffusion-LM): attributes of decoded text, the control-classifier experiment and its
// training, and controlled sampling with its success report.
export * from './attributes/attribute.ts';
export * from './attributes/registry.ts';
export * from './classifier-experiment.ts';
export * from './experiment-kind.ts';
export * from './diffusion-run.ts';
export * from './classifier-model.ts';
export * from './run-classifier-train.ts';
export * from './classifier-run.ts';
export * from './control-sample.ts';
