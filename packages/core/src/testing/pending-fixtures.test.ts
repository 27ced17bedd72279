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
    expect(pendingCheckpointModel('gpt2')?.issue).toBe(9);
    expect(pendingCheckpointModel('mdlm')).toBeUndefined();
    expect(pendingCheckpointModel(undefined)).toBeUndefined();
    expect(pendingGenerationSource('ML-GSAI/LLaDA')).toBeUndefined(); // covered by models llada generate-parity
    expect(pendingGenerationSource('NVlabs/Fast-dLLM')?.issue).toBe(13);
    expect(pendingGenerationSource('someone/else')).toBeUndefined();
    expect(pendingFormat('mmlu-multiple-choice')?.issue).toBe(11);
    expect(pendingFormat('seq2seq-metrics')?.issue).toBe(10);
  });

  it('every entry is unique and prints its issue', () => {
    const keys = PENDING_FIXTURES.map((p) => JSON.stringify(p.match));
    expect(new Set(keys).size).toBe(keys.length);
    const line = describePending(pendingCheckpointModel('gpt2')!, 'gpt2');
    expect(line).toBe(
      'pending: gpt2 checkpoints (config model_type gpt2): forward parity [gpt2] — LLaDA and AR baseline issue (#9)',
    );
  });
});
