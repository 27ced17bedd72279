// LLaDA's prompt-conditioned generation, shared by the llada family (runs) and the llada checkpoint layout
// (folders): LLaDA's own generate (ML-GSAI/LLaDA generate.py @b7e6c356), or Fast-dLLM's (NVlabs/Fast-dLLM
// llada/generate.py @24cc59e7 / @f6b35ec3) as soon as one of its knobs is given: --cache none|prefix|dual,
// --threshold τ or --factor f, --cache-loop check-first|call-first. The knob rules and their named errors:
//   --threshold with --factor: one or the other (f6b35ec3 silently ignores the threshold);
//   --cache-loop without --cache prefix|dual: the loop order only exists for cached calls;
//   Fast-dLLM with --remasking random or --cfg-scale > 0: Fast-dLLM remasks by low confidence and has no CFG;
//   Fast-dLLM with left-padded prompts: its model copy ignores the attention mask, so rows must share a length;
//   --cache prefix|dual on a backbone without a bidirectional KV cache (a DiT): named, with the backbone.
import { ConfigError, brief, type Nd, type Rng } from '@dlm/core';
import { llada } from '@dlm/samplers';
import type { GenerateKnobs } from '../../layouts/layout.ts';

/** Whether the knobs ask for Fast-dLLM's generation. */
export function isFastDllm(k: Partial<GenerateKnobs>): boolean {
  return k.cache !== undefined || k.threshold !== undefined || k.factor !== undefined || k.cacheLoop !== undefined;
}

/** The Fast-dLLM knob rules (before any weight is read); LLaDA's block rules are checked by checkBlockKnobs. */
export function checkFastDllmKnobs(k: GenerateKnobs, op: string): void {
  if (!isFastDllm(k)) return;
  if (k.cache !== undefined && !llada.cacheModes.has(k.cache)) {
    const expected = `one of ${llada.cacheModes.names().join(', ')}`;
    throw new ConfigError({ op, arg: '--cache', expected, got: brief(k.cache) });
  }
  if (k.cacheLoop !== undefined && !llada.cacheLoops.has(k.cacheLoop)) {
    const expected = `one of ${llada.cacheLoops.names().join(', ')}`;
    throw new ConfigError({ op, arg: '--cache-loop', expected, got: brief(k.cacheLoop) });
  }
  if (k.cacheLoop !== undefined && !(k.cache !== undefined && llada.cacheModes.get(k.cache).cached)) {
    const cached = [...llada.cacheModes].filter(([, m]) => m.cached).map(([n]) => n);
    throw new ConfigError(
      {
        op,
        arg: '--cache-loop',
        expected: `--cache ${cached.join('|')} with it`,
        got: `--cache ${k.cache ?? 'absent'}`,
      },
      'orders the cached calls of a block; without a cache there are none',
    );
  }
  if (k.threshold !== undefined && k.factor !== undefined) {
    throw new ConfigError(
      { op, arg: '--threshold, --factor', expected: 'one of them', got: `${k.threshold}, ${k.factor}` },
      '(Fast-dLLM f6b35ec3 would ignore the threshold)',
    );
  }
  if (k.threshold !== undefined && !(Number.isFinite(k.threshold) && k.threshold > 0 && k.threshold <= 1)) {
    throw new ConfigError({ op, arg: '--threshold', expected: 'a number in (0, 1]', got: brief(k.threshold) });
  }
  if (k.factor !== undefined && !(Number.isFinite(k.factor) && k.factor > 0)) {
    throw new ConfigError({ op, arg: '--factor', expected: 'a finite number > 0', got: brief(k.factor) });
  }
  if (k.remasking !== 'low_confidence') {
    const expected = 'low_confidence (Fast-dLLM commits by confidence)';
    throw new ConfigError({ op, arg: '--remasking', expected, got: `${brief(k.remasking)} with Fast-dLLM knobs` });
  }
  if (k.cfgScale !== 0) {
    const expected = '0 (Fast-dLLM has no classifier-free guidance)';
    throw new ConfigError({ op, arg: '--cfg-scale', expected, got: `${brief(k.cfgScale)} with Fast-dLLM knobs` });
  }
}

/** What generation needs of the network: plain calls, and a KV cache where the backbone has one. */
export interface LladaGenerationModel {
  predict: llada.MaskPredictor;
  /**
   * The backbone's generation view with its bidirectional KV cache (made per generation, disposed after it; its
   * plain calls also serve LLaDA's generate). Absent: no KV cache (`who` names the backbone in the error).
   */
  kv?: (() => llada.LladaKvModel) | undefined;
  who: string;
}

export interface LladaGenerationRequest extends GenerateKnobs {
  prompt: Nd<Int32Array>;
  attention?: Nd<Int32Array> | undefined;
  rng: Rng;
}

/** @returns x [B, P + genLength] (prompt and generation) and the model calls. */
export function lladaGenerate(
  m: LladaGenerationModel,
  req: LladaGenerationRequest,
  ids: { maskId: number; vocabSize: number },
  op: string,
): { x: Nd<Int32Array>; nfe: number } {
  const draws = llada.rngLladaDraws(req.rng);
  if (!isFastDllm(req)) {
    // The model's generation view (pre-transposed weights) where it has one: the same logits, faster calls.
    const kv = m.kv?.();
    try {
      return llada.generate(kv?.predict ?? m.predict, req.prompt, {
        steps: req.steps,
        genLength: req.genLength,
        blockLength: req.blockLength,
        temperature: req.temperature,
        cfgScale: req.cfgScale,
        remasking: req.remasking,
        ...ids,
        draws,
        ...(req.attention ? { attentionMask: req.attention } : {}),
      });
    } finally {
      kv?.dispose?.();
    }
  }
  checkFastDllmKnobs(req, op);
  if (req.attention?.data.includes(0)) {
    throw new ConfigError(
      { op, arg: 'prompts', expected: 'prompts of one length with Fast-dLLM knobs', got: 'left-padded rows' },
      "(Fast-dLLM's model ignores the attention mask; generate them one at a time)",
    );
  }
  const cache = req.cache ?? 'none';
  if (llada.cacheModes.get(cache).cached && !m.kv) {
    throw new ConfigError(
      { op, arg: '--cache', expected: 'none with this model (or a llada backbone)', got: cache },
      `${m.who} has no bidirectional KV cache`,
    );
  }
  const kv: llada.LladaKvModel = m.kv?.() ?? {
    predict: m.predict,
    openSession: () => {
      throw new ConfigError({ op, arg: '--cache', expected: 'a cached mode to open a KV session', got: cache });
    },
  };
  try {
    return llada.fastDllmGenerate(kv, req.prompt, {
      steps: req.steps,
      genLength: req.genLength,
      blockLength: req.blockLength,
      ...ids,
      cache,
      threshold: req.threshold,
      factor: req.factor,
      loop: req.cacheLoop,
      temperature: req.temperature,
      draws,
    });
  } finally {
    kv.dispose?.();
  }
}
