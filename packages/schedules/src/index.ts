// @dlm/schedules: Noise schedules: continuous sigma(t) / rate / alpha(t), discrete beta tables, block and
// position-dependent time.
export * from './continuous/index.ts';
export * from './discrete/index.ts';
export * from './time/index.ts';
