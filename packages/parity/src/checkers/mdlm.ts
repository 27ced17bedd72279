// Checkers for mdlm.json. (Being written: until then every case of the file fails.)
import type { Dispatcher } from '../harness.ts';

export const mdlm: Dispatcher = {
  file: 'mdlm.json',
  route: () => undefined,
};
