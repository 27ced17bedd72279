// Checkers for llada.json. (Being written: until then every case of the file fails.)
import type { Dispatcher } from '../harness.ts';

export const llada: Dispatcher = {
  file: 'llada.json',
  route: () => undefined,
};
