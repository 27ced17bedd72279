import { describe, expect, it } from 'vitest';
import {
  PENDING_FIXTURES,
  describePending,
  pendingCheckpointModel,
  pendingFormat,
  pendingGenerationSource,
} from './pending-fixtures.ts';

describe('pending fixture list', () => {
  it('looks entries up by content keys only', () => {
    // covered by models backbones/gpt2/checkpoint-parity.test.ts
    expect(pendingCheckpointModel('gpt2')).toBeUndefined();
    expect(pendingCheckpointModel('mdlm')).toBeUndefined();
    expect(pendingCheckpointModel(undefined)).toBeUndefined();
    expect(pendingGenerationSource('ML-GSAI/LLaDA')).toBeUndefined(); // covered by models llada generate-parity
    expect(pendingGenerationSource('NVlabs/Fast-dLLM')?.issue).toBe(13);
    expect(pendingGenerationSource('someone/else')).toBeUndefined();
    expect(pendingFormat('mmlu-multiple-choice')).toBeUndefined(); // covered by runner eval-mc-fixtures
    expect(pendingFormat('seq2seq-metrics')).toBeUndefined(); // covered by eval fixtures/seq2seq-metrics-fixtures
  });

  it('every entry is unique and prints its issue', () => {
    const keys = PENDING_FIXTURES.map((p) => JSON.stringify(p.match));
    expect(new Set(keys).size).toBe(keys.length);
    const line = describePending(pendingGenerationSource('NVlabs/Fast-dLLM')!, 'llada/generate.json');
    expect(line).toBe(
      'pending: Fast-dLLM generate cases (source.repo NVlabs/Fast-dLLM) [llada/generate.json] — Speed issue (#13)',
    );
  });
});
