import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resolveConfig, toYaml } from './resolve.ts';

const schema = z.strictObject({
  out: z.string().optional(),
  data: z.strictObject({
    files: z.record(z.string(), z.strictObject({ path: z.string(), format: z.string().default('txt') })).optional(),
  }),
});
const rules = { 'data.files.*.path': 'file', out: 'cwd' } as const;

function tree() {
  const dir = mkdtempSync(join(tmpdir(), 'dlm-paths-'));
  mkdirSync(join(dir, 'base'), { recursive: true });
  mkdirSync(join(dir, 'exp'), { recursive: true });
  writeFileSync(join(dir, 'base', 'base.yaml'), 'data:\n  files:\n    train: {path: corpus/train.txt}\n');
  const child = 'extends: ../base/base.yaml\nout: o\ndata:\n  files:\n    validation: {path: ../v.txt}\n';
  writeFileSync(join(dir, 'exp', 'child.yaml'), child);
  return dir;
}

describe('resolveConfig paths', () => {
  it('resolves each relative path against the YAML file that set it', () => {
    const dir = tree();
    const { config } = resolveConfig({ schema, file: join(dir, 'exp', 'child.yaml'), paths: rules });
    expect(config.data.files).toEqual({
      train: { path: join(dir, 'base', 'corpus', 'train.txt'), format: 'txt' },
      validation: { path: join(dir, 'v.txt'), format: 'txt' },
    });
    expect(config.out).toBe(join(process.cwd(), 'o')); // a `cwd` rule ignores the file
  });

  it('--set paths resolve against the working directory; absolute paths stay', () => {
    const dir = tree();
    const sets = ['data.files.train.path=mine.txt', `data.files.validation.path=${join(dir, 'abs.txt')}`];
    const { config } = resolveConfig({ schema, file: join(dir, 'exp', 'child.yaml'), sets, paths: rules });
    expect(config.data.files?.train?.path).toBe(join(process.cwd(), 'mine.txt'));
    expect(config.data.files?.validation?.path).toBe(join(dir, 'abs.txt'));
  });

  it('the resolved YAML re-resolves to itself from another file location', () => {
    const dir = tree();
    const first = toYaml(resolveConfig({ schema, file: join(dir, 'exp', 'child.yaml'), paths: rules }).config);
    writeFileSync(join(dir, 'resolved.yaml'), first);
    expect(toYaml(resolveConfig({ schema, file: join(dir, 'resolved.yaml'), paths: rules }).config)).toBe(first);
  });

  it('without rules, paths are left as written', () => {
    const dir = tree();
    const { config } = resolveConfig({ schema, file: join(dir, 'exp', 'child.yaml') });
    expect(config.data.files?.train?.path).toBe('corpus/train.txt');
  });
});
