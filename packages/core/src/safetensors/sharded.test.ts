import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointError, ConfigError } from '../errors.ts';
import { INDEX_FILE, ShardedSafetensors, loadSafetensors, writeShardedSafetensors } from './sharded.ts';
import { type TensorInput, writeSafetensors } from './writer.ts';

const root = mkdtempSync(join(tmpdir(), 'dlm-st-sharded-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let k = 0;
const fresh = (): string => {
  const d = join(root, `case-${k++}`);
  mkdirSync(d);
  return d;
};

const TENSORS = new Map<string, TensorInput>([
  [
    'model.transformer.wte.weight',
    { dtype: 'BF16', shape: [4, 8], data: Array.from({ length: 32 }, (_, i) => (i - 16) / 4) },
  ],
  [
    'model.transformer.blocks.0.attn_norm.weight',
    { dtype: 'F32', shape: [8], data: Array.from({ length: 8 }, (_, i) => 1 + i / 8) },
  ],
  [
    'model.transformer.blocks.0.q_proj.weight',
    { dtype: 'F16', shape: [8, 8], data: Array.from({ length: 64 }, (_, i) => Math.sin(i)) },
  ],
  ['model.transformer.ff_out.weight', { dtype: 'F32', shape: [4, 8], data: Array.from({ length: 32 }, (_, i) => -i) }],
  ['step', { dtype: 'I64', shape: [], data: [12345] }],
]);

describe('sharded safetensors', () => {
  it('round trip: shards of bounded size, index with total_size and weight_map, values intact', () => {
    const dir = fresh();
    const { indexFile, shards } = writeShardedSafetensors(dir, TENSORS, {
      maxShardBytes: 200,
      metadata: { format: 'pt' },
    });
    expect(shards).toEqual([
      'model-00001-of-00003.safetensors',
      'model-00002-of-00003.safetensors',
      'model-00003-of-00003.safetensors',
    ]);
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as {
      metadata: { total_size: number };
      weight_map: Record<string, string>;
    };
    expect(index.metadata.total_size).toBe(64 + 32 + 128 + 128 + 8);
    expect(index.weight_map['model.transformer.wte.weight']).toBe('model-00001-of-00003.safetensors');
    expect(index.weight_map['step']).toBe('model-00003-of-00003.safetensors');

    const s = ShardedSafetensors.open(indexFile);
    expect(s.names).toEqual([...TENSORS.keys()]);
    expect(s.metadata).toEqual({ total_size: 360 });
    expect(s.shardOf('model.transformer.blocks.0.q_proj.weight').metadata).toEqual({ format: 'pt' });
    const { tensors } = loadSafetensors(dir);
    expect([...tensors.keys()]).toEqual([...TENSORS.keys()]);
    expect([...tensors.get('model.transformer.ff_out.weight')!.data]).toEqual(
      TENSORS.get('model.transformer.ff_out.weight')!.data,
    );
    expect([...tensors.get('model.transformer.wte.weight')!.data]).toEqual(
      TENSORS.get('model.transformer.wte.weight')!.data,
    ); // quarters are exact in bf16
    expect(tensors.get('model.transformer.blocks.0.q_proj.weight')!.data[1]).toBe(0.84130859375); // sin(1) in binary16
    expect([...tensors.get('step')!.data]).toEqual([12345]);
    expect([...s.tensor('model.transformer.blocks.0.attn_norm.weight').data]).toEqual(
      TENSORS.get('model.transformer.blocks.0.attn_norm.weight')!.data,
    );
  });

  it('one shard when everything fits; loadSafetensors also takes a single file or a folder with model.safetensors', () => {
    const dir = fresh();
    writeShardedSafetensors(dir, TENSORS, { maxShardBytes: 1e9 });
    expect(readdirSync(dir).sort()).toEqual(['model-00001-of-00001.safetensors', INDEX_FILE]);
    const single = fresh();
    writeSafetensors(join(single, 'model.safetensors'), TENSORS);
    expect(loadSafetensors(single).tensors.size).toBe(5);
    expect(loadSafetensors(join(single, 'model.safetensors')).tensors.size).toBe(5);
    expect(() => loadSafetensors(fresh())).toThrow(/holds no safetensors checkpoint/);
  });

  it('a missing shard is a CheckpointError naming the index, the shard and a tensor', () => {
    const dir = fresh();
    const { shards } = writeShardedSafetensors(dir, TENSORS, { maxShardBytes: 200 });
    rmSync(join(dir, shards[1]!));
    const open = (): unknown => ShardedSafetensors.open(join(dir, INDEX_FILE));
    expect(open).toThrow(CheckpointError);
    expect(open).toThrow(
      new RegExp(
        `${INDEX_FILE} tensor "model.transformer.blocks.0.q_proj.weight" maps to shard "${shards[1]}", which does not exist`,
      ),
    );
  });

  it('a name mapped to a shard that lacks it is a CheckpointError', () => {
    const dir = fresh();
    writeShardedSafetensors(dir, TENSORS, { maxShardBytes: 200 });
    const indexFile = join(dir, INDEX_FILE);
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as { weight_map: Record<string, string> };
    index.weight_map['step'] = 'model-00001-of-00003.safetensors';
    writeFileSync(indexFile, JSON.stringify(index));
    expect(() => ShardedSafetensors.open(indexFile)).toThrow(
      /tensor "step" maps to shard "model-00001-of-00003.safetensors", which does not contain it/,
    );
  });

  it('malformed index files and shard names are refused', () => {
    const dir = fresh();
    const indexFile = join(dir, INDEX_FILE);
    expect(() => ShardedSafetensors.open(indexFile)).toThrow(/does not exist/);
    writeFileSync(indexFile, '{"metadata": {}, "weight_map": ');
    expect(() => ShardedSafetensors.open(indexFile)).toThrow(/is not readable JSON/);
    writeFileSync(indexFile, '{"metadata": {}}');
    expect(() => ShardedSafetensors.open(indexFile)).toThrow(/has no weight_map/);
    writeFileSync(indexFile, '{"weight_map": {"w": "../outside.safetensors"}}');
    expect(() => ShardedSafetensors.open(indexFile)).toThrow(/tensor "w" maps to an invalid shard file name/);
    writeFileSync(indexFile, '{"weight_map": {"w": 3}}');
    expect(() => ShardedSafetensors.open(indexFile)).toThrow(CheckpointError);
    expect(() => writeShardedSafetensors(dir, TENSORS, { maxShardBytes: 0 })).toThrow(ConfigError);
  });

  it('a malformed shard surfaces the shard reader error (file + tensor)', () => {
    const dir = fresh();
    const { shards } = writeShardedSafetensors(dir, TENSORS, { maxShardBytes: 200 });
    const path = join(dir, shards[0]!);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 2));
    expect(() => ShardedSafetensors.open(join(dir, INDEX_FILE))).toThrow(
      new RegExp(`${shards[0]} tensor "model.transformer.wte.weight".*run past the end`),
    );
  });
});
