// SEDD predictors by their reference names (sampling.py register_predictor: "euler", "analytic").
import { Registry } from '@dlm/core';
import { seddAnalyticStep } from './analytic.ts';
import { seddEulerStep } from './euler.ts';
import type { SeddPredictorStep } from './types.ts';

export const seddPredictors = new Registry<SeddPredictorStep>('SEDD predictor', [
  ['euler', seddEulerStep],
  ['analytic', seddAnalyticStep],
]);
