import { describe, expect, it } from 'vitest';
import { deepMerge, mergeProvenance, provenanceOf, sourceOf } from './merge.ts';

describe('deepMerge', () => {
  it('merges mappings deeply, child wins, lists and scalars replace', () => {
    const base = { a: { b: 1, c: [1, 2, 3] }, d: 'x', e: { f: 1 } };
    const over = { a: { c: [9] }, d: null, e: 5 };
    expect(deepMerge(base, over)).toEqual({ a: { b: 1, c: [9] }, d: null, e: 5 });
    expect(base.a.c).toEqual([1, 2, 3]); // inputs untouched
  });
});

describe('provenance', () => {
  it('remembers which file set each path and forgets subtrees the child replaced', () => {
    const base = { model: { dim: 1, layers: 2 } };
    const over = { model: 'tiny' };
    const merged = mergeProvenance(provenanceOf(base, 'base.yaml'), provenanceOf(over, 'exp.yaml'), over);
    expect(merged.get('model')).toBe('exp.yaml');
    expect(merged.has('model.dim')).toBe(false);
    expect(sourceOf(merged, 'model.dim.x', 'root.yaml')).toBe('exp.yaml');
    expect(sourceOf(merged, 'seed', 'root.yaml')).toBe('root.yaml');
  });
});
