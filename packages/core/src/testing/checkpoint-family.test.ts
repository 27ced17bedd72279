import { describe, expect, it } from 'vitest';
import { checkpointFamily } from './checkpoint-family.ts';

describe('checkpointFamily', () => {
  it('reads model_type, recognises the SEDD hydra config, and nothing else', () => {
    expect(checkpointFamily({ model_type: 'gpt2', n_embd: 32 })).toBe('gpt2');
    expect(checkpointFamily({ model_type: 'llada' })).toBe('llada');
    expect(checkpointFamily({ tokens: 40, graph: { type: 'absorb' }, model: {} })).toBe('sedd');
    expect(checkpointFamily({ tokens: 40 })).toBeUndefined();
    expect(checkpointFamily({ cases: [] })).toBeUndefined();
    expect(checkpointFamily([1, 2])).toBeUndefined();
    expect(checkpointFamily(null)).toBeUndefined();
  });
});
