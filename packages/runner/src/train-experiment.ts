// `dlm train`: a family experiment (run-train.ts) or another kind named by the YAML's top-level `kind`
// (control/experiment-kind.ts): `control-classifier` trains an attribute classifier for gradient-based control.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runTrain, type TrainCommandOptions, type TrainCommandResult } from './run-train.ts';
import { CONTROL_CLASSIFIER_KIND } from './control/classifier-experiment.ts';
import { experimentKind } from './control/experiment-kind.ts';
import { runClassifierTrain } from './control/run-classifier-train.ts';

export async function trainExperiment(o: TrainCommandOptions): Promise<TrainCommandResult> {
  const file = o.resume ? join(o.resume, 'resolved.yaml') : o.file;
  // A missing file is runTrain's named error.
  if (file && existsSync(file) && experimentKind(file) === CONTROL_CLASSIFIER_KIND) return runClassifierTrain(o);
  return runTrain(o);
}
