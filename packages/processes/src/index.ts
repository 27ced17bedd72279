// @dlm/processes: Forward processes: SEDD absorbing and uniform graphs, Gaussian embedding process with partial noising.
export {};
export * from './gaussian/index.ts';
