// Which kind of experiment a YAML file (or a run's resolved.yaml) is: its top-level `kind` after `extends`.
// Absent = a family experiment (experiment.ts); `control-classifier` = an attribute classifier for
// gradient-based control (classifier-experiment.ts). Anything else is a named error listing the kinds.
import { ConfigError, brief } from '@dlm/core';
import { loadTree } from '@dlm/config';
import { CONTROL_CLASSIFIER_KIND } from './classifier-experiment.ts';

export type ExperimentKind = 'family' | typeof CONTROL_CLASSIFIER_KIND;

export function experimentKind(file: string): ExperimentKind {
  const { tree } = loadTree(file);
  if (typeof tree === 'object' && tree !== null && 'sweep' in tree) {
    throw new ConfigError(
      { op: 'experiment', arg: file, expected: 'an experiment (a sweep runs with: dlm sweep run <file>)' },
      'is a sweep file (it has a top-level sweep:)',
    );
  }
  const kind = (tree as Record<string, unknown>)['kind'];
  if (kind === undefined) return 'family';
  if (kind === CONTROL_CLASSIFIER_KIND) return kind;
  const expected = `absent (a family experiment) or ${CONTROL_CLASSIFIER_KIND}`;
  throw new ConfigError({ op: 'experiment', arg: `${file}: kind`, expected, got: brief(kind) });
}
