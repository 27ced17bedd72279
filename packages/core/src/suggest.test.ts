import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, nearest } from './suggest.ts';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('eps', 'esp')).toBe(1); // one transposition
    expect(editDistance('lr', 'lr')).toBe(0);
  });
});

describe('nearest', () => {
  it('picks the closest candidate, first one on ties', () => {
    expect(nearest('lerning_rate', ['batch_size', 'learning_rate', 'warmup'])).toBe('learning_rate');
    expect(nearest('Dim', ['heads', 'dim'])).toBe('dim');
    expect(nearest('ab', ['ax', 'ay'])).toBe('ax');
    expect(nearest('x', [])).toBeUndefined();
  });
});

describe('nearest: abbreviations', () => {
  it('prefers a candidate the word abbreviates over a short unrelated one', () => {
    expect(nearest('lr', ['steps', 'batchSize', 'learningRate'])).toBe('learningRate');
    expect(nearest('stpes', ['steps', 'learningRate'])).toBe('steps');
    expect(nearest('modle', ['seed', 'model', 'data'])).toBe('model');
  });
});

describe('didYouMean', () => {
  const datasets = ['moby-dick', 'sotu', 'brown', 'text8-moby', 'text8', 'wikitext103', 'lm1b', 'openwebtext'];
  it('suggests a near name (typo, transposition, case, dropped letter)', () => {
    expect(didYouMean('moby-dock', datasets)).toBe('moby-dick');
    expect(didYouMean('wikitext-103', datasets)).toBe('wikitext103');
    expect(didYouMean('gtp2', ['char', 'char-vocab', 'word', 'gpt2', 'hf'])).toBe('gpt2');
    expect(didYouMean('MDLM', ['ar', 'mdlm', 'sedd'])).toBe('mdlm');
    expect(didYouMean('ddpm_cach', ['ddpm', 'ddpm_cache', 'analytic'])).toBe('ddpm_cache');
  });
  it('stays silent for an unrelated name, an exact name or no candidates', () => {
    expect(didYouMean('imagenet', datasets)).toBeUndefined();
    expect(didYouMean('sotu', datasets)).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
});
