// Checkers for sedd_sampling.json. (Being written: until then every case of the file fails.)
import type { Dispatcher } from '../harness.ts';

export const seddSampling: Dispatcher = {
  file: 'sedd_sampling.json',
  route: () => undefined,
};
