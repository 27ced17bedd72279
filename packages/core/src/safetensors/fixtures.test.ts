// Every tiny reference checkpoint (../shared/fixtures/checkpoints/*/model.safetensors) loads with
// the tensor names and shapes its README lists. Expected shapes are derived from each folder's
// config.json with the README's tables (sections 2–5 and 8), so regenerated fixtures of other sizes
// pass. The folder's family comes from its config (checkpointFamily), never from the folder name.
// This test is about reading safetensors, so it covers every family, including those whose model
// parity is still pending (see testing/pending-fixtures.ts).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SafetensorsReader } from './reader.ts';
import { checkpointFamily } from '../testing/checkpoint-family.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');

type Shapes = Map<string, number[]>;

/** README §2: the DDiT tensors shared by SEDD and MDLM. */
function dditShapes(prefix: string, V: number, D: number, H: number, C: number, nBlocks: number): Shapes {
  const s: Shapes = new Map();
  const add = (name: string, shape: number[]): void => void s.set(prefix + name, shape);
  add('vocab_embed.embedding', [V, D]);
  add('sigma_map.mlp.0.weight', [C, 256]);
  add('sigma_map.mlp.0.bias', [C]);
  add('sigma_map.mlp.2.weight', [C, C]);
  add('sigma_map.mlp.2.bias', [C]);
  add('rotary_emb.inv_freq', [D / H / 2]);
  for (let i = 0; i < nBlocks; i++) {
    const b = `blocks.${i}.`;
    add(`${b}norm1.weight`, [D]);
    add(`${b}norm2.weight`, [D]);
    add(`${b}attn_qkv.weight`, [3 * D, D]);
    add(`${b}attn_out.weight`, [D, D]);
    add(`${b}mlp.0.weight`, [4 * D, D]);
    add(`${b}mlp.0.bias`, [4 * D]);
    add(`${b}mlp.2.weight`, [D, 4 * D]);
    add(`${b}mlp.2.bias`, [D]);
    add(`${b}adaLN_modulation.weight`, [6 * D, C]);
    add(`${b}adaLN_modulation.bias`, [6 * D]);
  }
  add('output_layer.norm_final.weight', [D]);
  add('output_layer.linear.weight', [V, D]);
  add('output_layer.linear.bias', [V]);
  add('output_layer.adaLN_modulation.weight', [2 * D, C]);
  add('output_layer.adaLN_modulation.bias', [2 * D]);
  return s;
}

/** README §5: LLaDA tensors. */
function lladaShapes(cfg: Record<string, number>): Shapes {
  const { d_model: D, n_heads: H, n_layers: n, mlp_hidden_size: F, embedding_size: E } = cfg as Record<string, number>;
  const kv = (cfg['n_kv_heads'] ?? H!) * (D! / H!);
  const s: Shapes = new Map();
  const p = 'model.transformer.';
  s.set(`${p}wte.weight`, [E!, D!]);
  for (let i = 0; i < n!; i++) {
    const b = `${p}blocks.${i}.`;
    s.set(`${b}attn_norm.weight`, [D!]);
    s.set(`${b}ff_norm.weight`, [D!]);
    s.set(`${b}q_proj.weight`, [D!, D!]);
    s.set(`${b}k_proj.weight`, [kv, D!]);
    s.set(`${b}v_proj.weight`, [kv, D!]);
    s.set(`${b}attn_out.weight`, [D!, D!]);
    s.set(`${b}ff_proj.weight`, [F!, D!]);
    s.set(`${b}up_proj.weight`, [F!, D!]);
    s.set(`${b}ff_out.weight`, [D!, F!]);
  }
  s.set(`${p}ln_f.weight`, [D!]);
  s.set(`${p}ff_out.weight`, [E!, D!]);
  return s;
}

/** README §8: GPT-2 tensors (no `transformer.` prefix, no lm_head; Conv1D weights are (in, out)). */
function gpt2Shapes(cfg: Record<string, unknown>): Shapes {
  const n = (k: string): number => cfg[k] as number;
  const [V, D, P, nLayer] = [n('vocab_size'), n('n_embd'), n('n_positions'), n('n_layer')];
  const inner = typeof cfg['n_inner'] === 'number' ? cfg['n_inner'] : 4 * D;
  const s: Shapes = new Map();
  s.set('wte.weight', [V, D]);
  s.set('wpe.weight', [P, D]);
  for (let i = 0; i < nLayer; i++) {
    const b = `h.${i}.`;
    for (const ln of ['ln_1', 'ln_2']) {
      s.set(`${b}${ln}.weight`, [D]);
      s.set(`${b}${ln}.bias`, [D]);
    }
    s.set(`${b}attn.c_attn.weight`, [D, 3 * D]);
    s.set(`${b}attn.c_attn.bias`, [3 * D]);
    s.set(`${b}attn.c_proj.weight`, [D, D]);
    s.set(`${b}attn.c_proj.bias`, [D]);
    s.set(`${b}attn.bias`, [1, 1, P, P]);
    s.set(`${b}mlp.c_fc.weight`, [D, inner]);
    s.set(`${b}mlp.c_fc.bias`, [inner]);
    s.set(`${b}mlp.c_proj.weight`, [inner, D]);
    s.set(`${b}mlp.c_proj.bias`, [D]);
  }
  s.set('ln_f.weight', [D]);
  s.set('ln_f.bias', [D]);
  return s;
}

/** Expected shapes and the rotary head dim (0 when no inv_freq buffer is stored), from config.json. */
function expected(cfg: Record<string, unknown>): { family: string; shapes: Shapes; hd: number; prefix: string } {
  const family = checkpointFamily(cfg);
  if (family === 'gpt2') return { family, shapes: gpt2Shapes(cfg), hd: 0, prefix: '' };
  if (family === 'llada')
    return { family: 'llada', shapes: lladaShapes(cfg as Record<string, number>), hd: 0, prefix: '' };
  if (family === 'mdlm') {
    const c = cfg as Record<string, number>;
    return {
      family: 'mdlm',
      shapes: dditShapes(
        'backbone.',
        c['vocab_size']!,
        c['hidden_dim']!,
        c['n_heads']!,
        c['cond_dim']!,
        c['n_blocks']!,
      ),
      hd: c['hidden_dim']! / c['n_heads']!,
      prefix: 'backbone.',
    };
  }
  if (family === 'sedd') {
    const m = cfg['model'] as Record<string, number>;
    const graph = (cfg['graph'] as { type: string }).type;
    const V = graph === 'absorb' ? (cfg['tokens'] as number) + 1 : (cfg['tokens'] as number);
    return {
      family: `sedd-${graph}`,
      shapes: dditShapes('', V, m['hidden_size']!, m['n_heads']!, m['cond_dim']!, m['n_blocks']!),
      hd: m['hidden_size']! / m['n_heads']!,
      prefix: '',
    };
  }
  throw new Error(`unrecognised config.json (keys ${Object.keys(cfg).join(', ')}): teach this test the new family`);
}

const folders = existsSync(fixturesDir)
  ? readdirSync(fixturesDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(fixturesDir, d.name, 'model.safetensors')))
      .map((d) => d.name)
      .sort()
  : [];

describe('reference checkpoint fixtures', () => {
  it(`finds the checkpoint folders in ${fixturesDir}`, () => {
    expect(folders.length).toBeGreaterThan(0);
  });

  for (const name of folders) {
    const folder = join(fixturesDir, name);
    const cfg = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
    const family = checkpointFamily(cfg);
    const rotary = family === 'sedd' || family === 'mdlm';
    const buffers = family === 'gpt2' ? ', causal-mask buffers' : rotary ? ', inv_freq buffer' : '';
    it(`${name} (${family ?? 'unknown family'}): names, shapes, dtype F32, metadata${buffers}`, () => {
      const { shapes, hd, prefix } = expected(cfg);
      const reader = SafetensorsReader.open(join(folder, 'model.safetensors'));
      expect(reader.metadata).toEqual({ format: 'pt' });
      expect([...reader.names].sort()).toEqual([...shapes.keys()].sort());
      const all = reader.readAll();
      for (const [tensor, shape] of shapes) {
        const t = all.get(tensor)!;
        expect(t.shape, tensor).toEqual(shape);
        expect(t.dtype, tensor).toBe('F32');
        expect(t.data.length, tensor).toBe(shape.reduce((a, b) => a * b, 1));
        expect(t.data.every(Number.isFinite), tensor).toBe(true);
      }
      if (hd > 0) {
        // README §1: inv_freq = 1 / 10000^(arange(0, hd, 2)/hd), stored as float32.
        const inv = all.get(`${prefix}rotary_emb.inv_freq`)!.data;
        for (let i = 0; i < hd / 2; i++)
          expect(Math.abs(inv[i]! - 1 / 10000 ** ((2 * i) / hd))).toBeLessThanOrEqual(
            1e-6 * (1 / 10000 ** ((2 * i) / hd)),
          );
      }
      for (const [tensor, shape] of shapes) {
        if (!/^h\.\d+\.attn\.bias$/.test(tensor)) continue;
        // README §8: GPT-2's old causal-mask buffer, lower-triangular ones (1 where key ≤ query).
        const [p, data] = [shape[3]!, all.get(tensor)!.data];
        for (let q = 0; q < p; q++)
          for (let k = 0; k < p; k++) if (data[q * p + k] !== (k <= q ? 1 : 0)) expect.fail(`${tensor}[${q}, ${k}]`);
      }
      // README §1: norm weights are 1 + 0.3·N(0,1): their mean over a few hundred values is near 1.
      const norms = [...shapes.keys()]
        .filter((n) => /norm[^.]*\.weight$|(^|\.)ln_[^.]*\.weight$/.test(n))
        .flatMap((n) => [...all.get(n)!.data]);
      const mean = norms.reduce((a, b) => a + b, 0) / norms.length;
      expect(Math.abs(mean - 1)).toBeLessThan((5 * 0.3) / Math.sqrt(norms.length));
    });
  }
});
