// A published checkpoint folder → a model: config.json through the layout's config reader, then every tensor of
// model.safetensors (or its sharded index; F32/F16/BF16 converted) loaded strictly by name, streamed one tensor at
// a time. The model is built
// with placeholder zeros (no random init, no host copy) that the load overwrites, and disposed if the load fails.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  Rng,
  openSafetensors,
  withPlaceholderParams,
  type StateSource,
  type StateTensor,
} from '@dlm/core';

export interface LoadableModel {
  load(dict: ReadonlyMap<string, StateTensor> | StateSource): void;
  dispose(): void;
}

export function modelFromCheckpoint<I extends { options: unknown }, M extends LoadableModel>(
  dir: string,
  configInfo: (json: unknown, file: string) => I,
  make: (options: I['options'], rng: Rng) => M,
): { model: M; info: I } {
  const file = join(dir, 'config.json');
  const info = configInfo(JSON.parse(readFileSync(file, 'utf8')), file);
  const source = openSafetensors(dir); // headers only: names, shapes and shards checked before any value is read
  const model = withPlaceholderParams(() => make(info.options, Rng.seeded(0))); // zeros, every one overwritten below
  try {
    model.load(source); // one tensor read, decoded, assigned and dropped at a time
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, info };
}

/** The config.json of `init_from` as JSON (a named error when it is missing or unreadable). */
export function readInitConfig(op: string, dir: string): { json: Record<string, unknown>; file: string } {
  const file = join(dir, 'config.json');
  try {
    return { json: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>, file };
  } catch (e) {
    const expected = 'a checkpoint folder with a readable config.json';
    throw new ConfigError({ op, arg: 'model.init_from', expected, got: file }, (e as Error).message);
  }
}

/** Knobs written next to `init_from` must equal the checkpoint's config: [knob, written, in config.json]. */
export function checkKnobsAgree(
  op: string,
  file: string,
  pairs: ReadonlyArray<readonly [knob: string, given: number | undefined, found: number | undefined]>,
): void {
  for (const [knob, given, found] of pairs) {
    if (given !== undefined && given !== found) {
      const expected = `${String(found)} (as in ${file}) or absent`;
      throw new ConfigError({ op, arg: `model.${knob}`, expected, got: String(given) });
    }
  }
}
