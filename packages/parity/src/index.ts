// @dlm/parity: the reference-parity harness (fixture loading, tolerance checks); the checkers run in its test.
export * from './harness.ts';
