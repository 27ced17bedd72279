// The checkpoint-folder layouts every `<model>` argument can open, by config.json `model_type` (SEDD: its
// hydra config's tokens/graph; read with checkpointFamily: never from the folder name). To add a layout,
// write a CheckpointLayout beside llada.ts / gpt2.ts and list it here.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, Registry, brief, checkpointFamily } from '@dlm/core';
import type { CheckpointHeader, CheckpointLayout } from './layout.ts';
import { gpt2Layout } from './gpt2.ts';
import { lladaLayout } from './llada.ts';
import { mdlmLayout } from './mdlm.ts';
import { seddLayout } from './sedd.ts';

export const checkpointLayouts = new Registry<CheckpointLayout>('checkpoint layout', [
  ['llada', lladaLayout],
  ['gpt2', gpt2Layout],
  ['mdlm', mdlmLayout],
  ['sedd', seddLayout],
]);

const supported = () =>
  `a supported layout: ${checkpointLayouts.names().join(', ')} (config.json model_type; sedd: SEDD's hydra config with tokens and graph)`;

/** The layout of a checkpoint folder and its config header; ConfigErrors list the supported layouts. */
export function detectCheckpointLayout(
  dir: string,
  op = 'dlm generate',
): { layout: CheckpointLayout; header: CheckpointHeader; config: Record<string, unknown>; file: string } {
  const file = join(dir, 'config.json');
  if (!existsSync(file)) {
    throw new ConfigError(
      {
        op,
        arg: dir,
        expected: `a run directory (resolved.yaml) or a checkpoint folder with config.json in ${supported()}`,
      },
      'has no config.json',
    );
  }
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError({ op, arg: file, expected: 'a JSON object', got: (e as Error).message });
  }
  const type = checkpointFamily(config);
  if (type === undefined || !checkpointLayouts.has(type)) {
    const got = type === undefined ? 'no model_type' : brief(type);
    const arg = `${file}: model_type`;
    throw new ConfigError({ op, arg, expected: supported(), got }, 'is not a layout dlm knows');
  }
  const layout = checkpointLayouts.get(type);
  const json = config as Record<string, unknown>;
  return { layout, header: layout.header(json, file), config: json, file };
}
