// Reading the published config.json formats of SEDD and MDLM checkpoints into DiT options
// (fixtures/checkpoints/README.md §3, §4). Only the fields the network uses are read; other
// keys are carried by those formats for other purposes and ignored. `dropout` is a training
// setting (eval mode has none); this backbone has no dropout yet.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, Rng, brief, loadSafetensors } from '@dlm/core';
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

export type ReferenceDit =
  { family: 'sedd'; model: Dit; info: SeddConfigInfo } | { family: 'mdlm'; model: Dit; info: MdlmConfigInfo };

/** Builds a DiT from a checkpoint folder (config.json + model.safetensors or a sharded index). */
export function loadReferenceDit(dir: string): ReferenceDit {
  const file = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const { tensors } = loadSafetensors(dir);
  const rng = Rng.seeded(0); // every value is overwritten by the checkpoint
  if (config.model_type === 'mdlm') {
    const info = mdlmConfigInfo(config, file);
    const model = new Dit(info.options, rng);
    model.load(tensors, { prefix: info.prefix });
    return { family: 'mdlm', model, info };
  }
  const info = seddConfigInfo(config, file);
  const model = new Dit(info.options, rng);
  model.load(tensors);
  return { family: 'sedd', model, info };
}
