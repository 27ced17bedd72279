// Checkers for sedd_graph.json. (Being written: until then every case of the file fails.)
import type { Dispatcher } from '../harness.ts';

export const seddGraph: Dispatcher = {
  file: 'sedd_graph.json',
  route: () => undefined,
};
