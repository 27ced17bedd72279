// checkpointInfo on the fixture folders (found by config content): counts from the headers equal the safetensors
// contents, float32 bytes = 4 per stored scalar, the wasm limit decides `fitsBackend`, a real load is measured (the
// model's tensors appear in tf.memory and are released), and a BF16 copy reports BF16 with half the file bytes.
// A run directory and an unknown layout are named errors.
import { copyFileSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  initBackend,
  loadSafetensors,
  shutdownBackend,
  tf,
  writeShardedSafetensors,
  checkpointFixtureFolder,
} from '@dlm/core';
import { WASM_HEAP_MAX_BYTES } from '@dlm/models';
import { checkpointInfo, formatCheckpointInfo } from './checkpoint-info.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(() => shutdownBackend());

describe('checkpointInfo', () => {
  for (const kind of ['mdlm', 'sedd', 'gpt2', 'llada']) {
    it(`${kind}: header counts, float32 bytes, limits, a measured load`, async () => {
      const dir = checkpointFixtureFolder(kind);
      const stored = loadSafetensors(dir).tensors;
      const scalars = [...stored.values()].reduce((a, t) => a + t.data.length, 0);
      const before = tf.memory().numTensors;
      const i = await checkpointInfo(dir, { backend: 'wasm' });
      expect(i.layout).toBe(kind);
      expect(i.family).toBe(kind === 'gpt2' ? 'ar' : kind);
      expect(i.tensors).toBe(stored.size);
      expect(i.storedScalars).toBe(scalars);
      expect(i.dtypes).toEqual({ F32: { tensors: stored.size, bytes: 4 * scalars } });
      expect(i.fileBytes).toBe(statSync(join(dir, 'model.safetensors')).size);
      expect(i.float32Bytes).toBe(4 * scalars);
      expect(i.backendLimitBytes).toBe(WASM_HEAP_MAX_BYTES);
      expect(i.fitsBackend).toBe(true);
      const l = i.load!;
      // GPT-2 drops its causal-mask buffers (checked, not kept): the model holds fewer scalars than the file.
      const dropped = kind === 'gpt2' ? [...stored].filter(([k]) => /^h\.\d+\.attn\.bias$/.test(k)) : [];
      expect(l.modelScalars).toBe(scalars - dropped.reduce((a, [, t]) => a + t.data.length, 0));
      expect(l.tfBytesAfter - l.tfBytesBefore).toBe(4 * l.modelScalars);
      expect(l.peakRssAfter).toBeGreaterThanOrEqual(l.peakRssBefore);
      expect(tf.memory().numTensors).toBe(before); // the measured model is disposed
      expect(formatCheckpointInfo(i).join('\n')).toMatch(/heap limit 4\.00 GiB → fits/);
    });
  }

  it('a BF16 sharded copy: BF16 dtypes, two shards, half the data bytes; float32 bytes twice them', async () => {
    const src = checkpointFixtureFolder('mdlm');
    const dir = mkdtempSync(join(tmpdir(), 'dlm-info-'));
    copyFileSync(join(src, 'config.json'), join(dir, 'config.json'));
    const stored = loadSafetensors(src).tensors;
    const bf16 = new Map([...stored].map(([k, t]) => [k, { dtype: 'BF16' as const, shape: t.shape, data: t.data }]));
    const { shards } = writeShardedSafetensors(dir, bf16, { maxShardBytes: 48 * 1024 });
    const i = await checkpointInfo(dir, { backend: 'cpu', measure: false });
    expect(i.files.length).toBe(shards.length);
    expect(i.dtypes['BF16']!.tensors).toBe(stored.size);
    expect(i.float32Bytes).toBe(2 * i.dtypes['BF16']!.bytes);
    expect(i.backendLimitBytes).toBeNull();
    expect(i.fitsBackend).toBeNull();
    expect(i.load).toBeUndefined();
  });

  it('a run directory and an unknown layout are named errors', async () => {
    const run = mkdtempSync(join(tmpdir(), 'dlm-info-run-'));
    writeFileSync(join(run, 'resolved.yaml'), 'name: x\n');
    await expect(checkpointInfo(run, { backend: 'cpu' })).rejects.toThrow(/is a run directory/);
    const bert = mkdtempSync(join(tmpdir(), 'dlm-info-bert-'));
    writeFileSync(join(bert, 'config.json'), JSON.stringify({ model_type: 'bert' }));
    await expect(checkpointInfo(bert, { backend: 'cpu' })).rejects.toThrow(ConfigError);
    await expect(checkpointInfo(bert, { backend: 'cpu' })).rejects.toThrow(/llada, gpt2, mdlm, sedd.*"bert"/);
  });
});
