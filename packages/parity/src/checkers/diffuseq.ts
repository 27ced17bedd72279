// Checkers for diffuseq.json. (Being written: until then every case of the file fails.)
import type { Dispatcher } from '../harness.ts';

export const diffuseq: Dispatcher = {
  file: 'diffuseq.json',
  route: () => undefined,
};
