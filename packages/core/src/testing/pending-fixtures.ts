// The one list of fixture sets that exist (../shared/fixtures, or the folders the DLM_*_FIXTURES_DIR
// variables name) but that no test checks yet, each with the issue that will cover it. The fixture
// tests of core, models, parity and eval route every fixture file and case either to a test that
// checks it or to an entry here, print the entries they used, and fail on anything that is neither.
// Entries match by content (a config's model_type, a case's source repo, a file's format), never by
// folder, file or case name: the same tests run on regenerated folders with other names.
// When an issue lands, delete its entry here and route the set to the test that now checks it.

/** Fixture formats recognised by content (see the eval fixture tests for the recognisers). */
export type FixtureFormat = 'mmlu-multiple-choice' | 'seq2seq-metrics';

export type PendingMatch =
  /** The forward-pass parity of a checkpoint folder whose config.json has this `model_type`. */
  | { kind: 'checkpoint-model'; modelType: string }
  /** Sampler cases (a case with `knobs`) whose `source.repo` is this repository. */
  | { kind: 'generation-source'; repo: string }
  /** Every file of a folder in this format. */
  | { kind: 'format'; format: FixtureFormat };

export interface PendingFixture {
  /** What is pending, for the printed list. */
  what: string;
  issue: number;
  title: string;
  match: PendingMatch;
}

// Empty: every fixture set is checked (Fast-dLLM's generate cases by models backbones/llada/fastdllm-parity, #13).
export const PENDING_FIXTURES: readonly PendingFixture[] = [];

/** The pending entry for a checkpoint folder's forward parity, by its config's model_type. */
export function pendingCheckpointModel(modelType: string | undefined): PendingFixture | undefined {
  return PENDING_FIXTURES.find((p) => p.match.kind === 'checkpoint-model' && p.match.modelType === modelType);
}

/** The pending entry for a sampler case, by its `source.repo`. */
export function pendingGenerationSource(repo: string | undefined): PendingFixture | undefined {
  return PENDING_FIXTURES.find((p) => p.match.kind === 'generation-source' && p.match.repo === repo);
}

/** The pending entry for a fixture format. */
export function pendingFormat(format: FixtureFormat): PendingFixture | undefined {
  return PENDING_FIXTURES.find((p) => p.match.kind === 'format' && p.match.format === format);
}

/** `pending: <what> — <title> issue (#N)`, the line the fixture tests print. */
export function describePending(p: PendingFixture, detail?: string): string {
  return `pending: ${p.what}${detail ? ` [${detail}]` : ''} — ${p.title} issue (#${p.issue})`;
}
