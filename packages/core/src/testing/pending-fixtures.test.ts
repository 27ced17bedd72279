import { describe, expect, it } from 'vitest';
import {
  PENDING_FIXTURES,
  describePending,
  pendingCheckpointModel,
  pendingFormat,
  pendingGenerationSource,
  type PendingFixture,
} from './pending-fixtures.ts';

describe('pending fixture list', () => {
  it('looks entries up by content keys only', () => {
    // covered by models backbones/gpt2/checkpoint-parity.test.ts
    expect(pendingCheckpointModel('gpt2')).toBeUndefined();
    expect(pendingCheckpointModel('mdlm')).toBeUndefined();
    expect(pendingCheckpointModel(undefined)).toBeUndefined();
    expect(pendingGenerationSource('ML-GSAI/LLaDA')).toBeUndefined(); // covered by models llada generate-parity
    expect(pendingGenerationSource('NVlabs/Fast-dLLM')).toBeUndefined(); // covered by models llada fastdllm-parity
    expect(pendingGenerationSource('someone/else')).toBeUndefined();
    expect(pendingFormat('mmlu-multiple-choice')).toBeUndefined(); // covered by runner eval-mc-fixtures
    expect(pendingFormat('seq2seq-metrics')).toBeUndefined(); // covered by eval fixtures/seq2seq-metrics-fixtures
  });

  it('the list is empty: every fixture set is checked', () => {
    expect(PENDING_FIXTURES).toEqual([]);
  });

  it('prints an entry with its issue', () => {
    const p: PendingFixture = {
      what: 'Some sampler cases (source.repo a/b)',
      issue: 99,
      title: 'Example',
      match: { kind: 'generation-source', repo: 'a/b' },
    };
    expect(describePending(p, 'x/generate.json')).toBe(
      'pending: Some sampler cases (source.repo a/b) [x/generate.json] — Example issue (#99)',
    );
    expect(describePending(p)).toBe('pending: Some sampler cases (source.repo a/b) — Example issue (#99)');
  });
});
