// Checkers for diffuseq.json (DiffuSeq: partial noising with input_mask 0 = source kept,
// seq2seq loss with the reported nll, anchored p_sample). Case families and tolerances:
// gaussian-common.ts.
import type { Dispatcher } from '../harness.ts';
import { routeGaussian } from './gaussian-common.ts';

export const diffuseq: Dispatcher = {
  file: 'diffuseq.json',
  route: routeGaussian,
};
