// StateSource and ParamStore.load's streaming: names and shapes are checked from the entries before any value is
// read (a missing, unexpected or mis-shaped tensor reads nothing); a good load reads each tensor once, in storage
// order, through `stream`; renameStateSource maps names without reading; openSafetensors streams one shard after
// another.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors.ts';
import { initBackend, shutdownBackend } from '../backend/select.ts';
import { f16Bits, f16Value } from '../safetensors/dtypes.ts';
import { openSafetensors, writeShardedSafetensors } from '../safetensors/sharded.ts';
import { ParamStore, type StateTensor } from './param-store.ts';
import { mapStateSource, renameStateSource, type StateSource } from './state-source.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(() => shutdownBackend());

/** A source over `dict` that records every value read. */
function counting(dict: Map<string, StateTensor>): { src: StateSource; reads: string[] } {
  const inner = mapStateSource(dict);
  const reads: string[] = [];
  return {
    reads,
    src: {
      entries: inner.entries,
      read: (n) => (reads.push(n), inner.read(n)),
      *stream(names) {
        for (const [k, t] of inner.stream(names)) {
          reads.push(k);
          yield [k, t];
        }
      },
    },
  };
}

const t = (shape: number[], v: number): StateTensor => ({
  shape,
  data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(v),
});

function store(): ParamStore {
  const p = new ParamStore();
  p.add('a.weight', [2, 3], { kind: 'zeros' });
  p.add('b', [4], { kind: 'zeros' });
  return p;
}

describe('streaming ParamStore.load', () => {
  it('missing, unexpected and mis-shaped tensors are named errors before any value is read', () => {
    const p = store();
    const cases: [Map<string, StateTensor>, RegExp][] = [
      [new Map([['a.weight', t([2, 3], 1)]]), /missing b/],
      [
        new Map([
          ['a.weight', t([2, 3], 1)],
          ['b', t([4], 1)],
          ['c', t([1], 1)],
        ]),
        /unexpected c/,
      ],
      [
        new Map([
          ['a.weight', t([3, 2], 1)],
          ['b', t([4], 1)],
        ]),
        /a\.weight.*expected shape \[2,3\].*got \[3,2\]/,
      ],
    ];
    for (const [dict, re] of cases) {
      const { src, reads } = counting(dict);
      expect(() => p.load(src)).toThrow(CheckpointError);
      expect(() => p.load(src)).toThrow(re);
      expect(reads).toEqual([]);
    }
    expect(
      p
        .get('a.weight')
        .dataSync()
        .every((v) => v === 0),
    ).toBe(true);
    p.dispose();
  });

  it('a good load reads each tensor once in storage order; a renamed view reads the stored names', () => {
    const p = store();
    const { src, reads } = counting(
      new Map([
        ['m.b', t([4], 2)],
        ['m.a.weight', t([2, 3], 3)],
        ['m.buffer', t([9], 0)],
      ]),
    );
    const view = renameStateSource(src, (k) => (k === 'm.buffer' ? undefined : k.slice(2)));
    expect([...view.entries.keys()]).toEqual(['b', 'a.weight']);
    expect(reads).toEqual([]);
    p.load(view);
    expect(reads).toEqual(['m.b', 'm.a.weight']);
    expect([...p.get('b').dataSync()]).toEqual([2, 2, 2, 2]);
    expect([...p.get('a.weight').dataSync()]).toEqual([3, 3, 3, 3, 3, 3]);
    p.dispose();
  });

  it('openSafetensors: dtypes and shapes from the headers, BF16 decoded, shards streamed in index order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlm-source-'));
    const tensors = new Map([
      ['a.weight', { dtype: 'BF16' as const, shape: [2, 3], data: [1, 2, 3, 4, 5, 6.015625] }],
      ['b', { dtype: 'F16' as const, shape: [4], data: [0.5, -1, 2, 1e-3] }],
    ]);
    const { shards } = writeShardedSafetensors(dir, tensors, { maxShardBytes: 12 });
    expect(shards.length).toBe(2);
    const src = openSafetensors(dir);
    expect([...src.entries]).toEqual([
      ['a.weight', { shape: [2, 3], dtype: 'BF16' }],
      ['b', { shape: [4], dtype: 'F16' }],
    ]);
    expect(src.files.map((f) => f.path)).toEqual(shards.map((s) => join(dir, s)));
    const order = [...src.stream()].map(([k, v]) => [k, Array.from(v.data)]);
    expect(order).toEqual([
      ['a.weight', [1, 2, 3, 4, 5, 6]], // 6 + 2^-6: a tie at bf16's spacing 2^-5 here, to even
      ['b', [0.5, -1, 2, f16Value(f16Bits(1e-3))]],
    ]);
    const p = store();
    p.load(src);
    expect([...p.get('a.weight').dataSync()]).toEqual([1, 2, 3, 4, 5, 6]);
    p.dispose();
  });
});
