// @dlm/schedules: Noise schedules: continuous sigma(t) / rate / alpha(t), discrete beta tables, block and position-dependent time.
export {};
export * from './discrete/index.ts';
