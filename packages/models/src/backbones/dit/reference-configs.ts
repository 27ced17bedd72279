// Reading the published config.json formats of SEDD and MDLM checkpoints into DiT options
// (fixtures/checkpoints/README.md §3, §4). Only the fields the network uses are read; other
// keys are carried by those formats for other purposes and ignored. `dropout` is a training
// setting (eval mode has none); this backbone has no dropout yet.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, Rng, brief, checkpointFamily, openSafetensors, withPlaceholderParams } from '@dlm/core';
import { Dit } from './dit.ts';
import type { DitOptionsInput } from './options.ts';

export interface SeddConfigInfo {
  options: DitOptionsInput;
  /** graph.type */
  graph: 'absorb' | 'uniform';
  /** model.scale_by_sigma (absorb only) */
  scaleBySigma: boolean;
  /** The absorbing MASK id (= tokens) for absorb. */
  maskId: number | undefined;
}

export interface MdlmConfigInfo {
  options: DitOptionsInput;
  /** vocab_size − 1 */
  maskId: number;
  /** Name prefix of the hf_dit layout. */
  prefix: 'backbone.';
}

type Json = Record<string, unknown>;

function field(obj: unknown, path: string, file: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(k in (cur as Json))) {
      throw new ConfigError(
        { op: 'read reference config', arg: `${file}: ${path}`, expected: 'present' },
        'is missing',
      );
    }
    cur = (cur as Json)[k];
  }
  return cur;
}

function int(obj: unknown, path: string, file: string): number {
  const v = field(obj, path, file);
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1))
    throw new ConfigError({
      op: 'read reference config',
      arg: `${file}: ${path}`,
      expected: 'an integer ≥ 1',
      got: brief(v),
    });
  return v;
}

function bool(obj: unknown, path: string, file: string): boolean {
  const v = field(obj, path, file);
  if (typeof v !== 'boolean')
    throw new ConfigError({
      op: 'read reference config',
      arg: `${file}: ${path}`,
      expected: 'a boolean',
      got: brief(v),
    });
  return v;
}

/** SEDD hydra config (top level `tokens`, `graph`, `model`, …). */
export function seddConfigInfo(config: unknown, file = 'config.json'): SeddConfigInfo {
  const graph = field(config, 'graph.type', file);
  if (graph !== 'absorb' && graph !== 'uniform')
    throw new ConfigError({
      op: 'read SEDD config',
      arg: `${file}: graph.type`,
      expected: "'absorb' or 'uniform'",
      got: brief(graph),
    });
  const tokens = int(config, 'tokens', file);
  const scaleBySigma = bool(config, 'model.scale_by_sigma', file);
  if (scaleBySigma && graph === 'uniform') {
    throw new ConfigError({
      op: 'read SEDD config',
      arg: `${file}: model.scale_by_sigma`,
      expected: 'false for a uniform graph (the reference asserts)',
    });
  }
  const options: DitOptionsInput = {
    vocabSize: graph === 'absorb' ? tokens + 1 : tokens,
    hidden: int(config, 'model.hidden_size', file),
    heads: int(config, 'model.n_heads', file),
    blocks: int(config, 'model.n_blocks', file),
    condDim: int(config, 'model.cond_dim', file),
  };
  return { options, graph, scaleBySigma, maskId: graph === 'absorb' ? tokens : undefined };
}

/** MDLM HF config (`model_type: "mdlm"`, MDLMConfig keys). */
export function mdlmConfigInfo(config: unknown, file = 'config.json'): MdlmConfigInfo {
  const type = field(config, 'model_type', file);
  if (type !== 'mdlm')
    throw new ConfigError({ op: 'read MDLM config', arg: `${file}: model_type`, expected: '"mdlm"', got: brief(type) });
  const vocabSize = int(config, 'vocab_size', file);
  const options: DitOptionsInput = {
    vocabSize,
    hidden: int(config, 'hidden_dim', file),
    heads: int(config, 'n_heads', file),
    blocks: int(config, 'n_blocks', file),
    condDim: int(config, 'cond_dim', file),
    timeConditioning: bool(config, 'time_conditioning', file),
  };
  return { options, maskId: vocabSize - 1, prefix: 'backbone.' };
}

/** A SEDD or MDLM checkpoint config routed by content (checkpointFamily), with what the DiT slot needs. */
export interface DitCheckpointInfo {
  kind: 'sedd' | 'mdlm';
  options: DitOptionsInput;
  /** Name prefix of the stored tensors ('backbone.' for MDLM's hf_dit, '' for SEDD). */
  prefix: string;
  /** SEDD model.length / MDLM model_length (absent = undefined). */
  length: number | undefined;
  /** SEDD model.dropout / MDLM dropout (a training setting; absent = undefined). */
  dropout: number | undefined;
  sedd?: SeddConfigInfo | undefined;
  mdlm?: MdlmConfigInfo | undefined;
}

function optionalNumber(obj: unknown, path: string): number | undefined {
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[k];
  }
  return typeof cur === 'number' ? cur : undefined;
}

export function ditCheckpointInfo(config: unknown, file = 'config.json'): DitCheckpointInfo {
  const kind = checkpointFamily(config);
  if (kind === 'mdlm') {
    const mdlm = mdlmConfigInfo(config, file);
    const length = optionalNumber(config, 'model_length');
    return {
      kind,
      options: mdlm.options,
      prefix: mdlm.prefix,
      length,
      dropout: optionalNumber(config, 'dropout'),
      mdlm,
    };
  }
  if (kind === 'sedd') {
    const sedd = seddConfigInfo(config, file);
    const length = optionalNumber(config, 'model.length');
    return { kind, options: sedd.options, prefix: '', length, dropout: optionalNumber(config, 'model.dropout'), sedd };
  }
  throw new ConfigError({
    op: 'read reference config',
    arg: `${file}: model_type`,
    expected: 'a SEDD hydra config (tokens, graph, model) or model_type "mdlm"',
    got: kind === undefined ? 'neither' : brief(kind),
  });
}

export type ReferenceDit =
  { family: 'sedd'; model: Dit; info: SeddConfigInfo } | { family: 'mdlm'; model: Dit; info: MdlmConfigInfo };

/** Builds a DiT from a checkpoint folder (config.json + model.safetensors or a sharded index), streaming the load. */
export function loadReferenceDit(dir: string): ReferenceDit {
  const file = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const info = ditCheckpointInfo(config, file);
  const source = openSafetensors(dir);
  // Placeholder zeros (no random init, no host copy): every value is overwritten by the checkpoint.
  const model = withPlaceholderParams(() => new Dit(info.options, Rng.seeded(0)));
  try {
    model.load(source, { prefix: info.prefix });
  } catch (e) {
    model.dispose();
    throw e;
  }
  return info.kind === 'mdlm'
    ? { family: 'mdlm', model, info: info.mdlm! }
    : { family: 'sedd', model, info: info.sedd! };
}
