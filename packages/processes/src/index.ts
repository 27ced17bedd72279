// @dlm/processes: Forward processes: SEDD absorbing and uniform graphs, Gaussian embedding process with partial
// noising.
export * from './gaussian/index.ts';
export * from './graphs/index.ts';
