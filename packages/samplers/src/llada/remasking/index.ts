// Remasking rules, by the names LLaDA's generate() uses.
import { Registry } from '@dlm/core';
import { lowConfidence } from './low-confidence.ts';
import { randomRemasking } from './random.ts';
import type { Remasking } from './types.ts';

export type { Remasking, ConfidenceArgs } from './types.ts';
export { lowConfidence, randomRemasking };

export const remaskings = new Registry<Remasking>('remasking', [
  ['low_confidence', lowConfidence],
  ['random', randomRemasking],
]);
