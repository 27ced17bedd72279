// Every file and every case of the reference checkpoint fixtures (DLM_CHECKPOINT_FIXTURES_DIR, else
// ../shared/fixtures/checkpoints) is routed to the test that checks it or to an entry of @dlm/core's
// pending fixture list; anything else fails here, so a new fixture file or case is never silently
// unchecked. Routing is by content, never by folder, file or case name:
//   a config (checkpointFamily: model_type / SEDD hydra keys) → the family of the folder;
//   a safetensors file (8-byte header length, then a JSON header) → core safetensors/fixtures.test.ts;
//   forward cases (a `cases` list without sampler `knobs`) → the family's parity test, or pending;
//   sampler cases (with `knobs`) → by each case's `source.repo` (README §7): ML-GSAI/LLaDA → llada
//     generate-parity, NVlabs/Fast-dLLM → llada fastdllm-parity, another source → pending or a failure.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkpointFamily,
  describePending,
  pendingCheckpointModel,
  pendingGenerationSource,
  type PendingFixture,
} from '@dlm/core';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');

/** Families whose forward cases a test checks, and where. */
const FORWARD_PARITY: Record<string, string> = {
  sedd: 'models backbones/dit/checkpoint-parity.test.ts',
  mdlm: 'models backbones/dit/checkpoint-parity.test.ts',
  llada: 'models backbones/llada/checkpoint-parity.test.ts',
  gpt2: 'models backbones/gpt2/checkpoint-parity.test.ts',
};
/** Sampler case sources (`source.repo`) that a test checks; the others must be in the pending list. */
const GENERATION_PARITY: Record<string, string> = {
  'ML-GSAI/LLaDA': 'models backbones/llada/generate-parity.test.ts',
  'NVlabs/Fast-dLLM': 'models backbones/llada/fastdllm-parity.test.ts',
};
const SAFETENSORS_READER = 'core safetensors/fixtures.test.ts';

type Route = { covered: string } | { pending: PendingFixture } | { unknown: string };

function isSafetensors(path: string): boolean {
  const b = readFileSync(path);
  if (b.length < 9) return false;
  const n = Number(b.readBigUInt64LE(0));
  return n > 1 && 8 + n <= b.length && b[8] === 0x7b; // '{'
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Routes of one file: one per case for a cases file, else one for the whole file. */
function routeFile(path: string, family: string | undefined): { label: string; route: Route }[] {
  if (isSafetensors(path)) return [{ label: 'safetensors', route: { covered: SAFETENSORS_READER } }];
  const json = readJson(path) as Record<string, unknown> | undefined;
  if (json === undefined) return [{ label: 'file', route: { unknown: 'neither JSON nor safetensors' } }];
  if (checkpointFamily(json) !== undefined) return [{ label: 'config', route: { covered: SAFETENSORS_READER } }];
  const cases = json['cases'];
  if (!Array.isArray(cases) || cases.length === 0) {
    return [{ label: 'json', route: { unknown: 'no config keys, no cases' } }];
  }
  return cases.map((c: Record<string, unknown>, i) => {
    const label = `case ${i} ${String(c['name'])}`;
    if (c['knobs'] !== undefined) {
      const repo = (c['source'] as { repo?: string } | undefined)?.repo;
      const covered = repo === undefined ? undefined : GENERATION_PARITY[repo];
      if (covered) return { label, route: { covered } };
      const pending = pendingGenerationSource(repo);
      return { label, route: pending ? { pending } : { unknown: `sampler case from source.repo ${repo}` } };
    }
    const covered = family === undefined ? undefined : FORWARD_PARITY[family];
    if (covered) return { label, route: { covered } };
    const pending = pendingCheckpointModel(family);
    return { label, route: pending ? { pending } : { unknown: `forward case of family ${family}` } };
  });
}

const folders = existsSync(fixturesDir)
  ? readdirSync(fixturesDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
  : [];

describe(`checkpoint fixture routing (${fixturesDir})`, () => {
  it('routes sampler cases by source.repo: each source to its test, or unknown (fails)', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'dlm-route-'));
    try {
      const file = join(tmp, 'g.json');
      const kase = (name: string, repo: string) => ({ name, source: { repo }, knobs: { steps: 1 } });
      // Names say the opposite of the repo: routing must follow source.repo only.
      const cases = [kase('fast_dllm_x', 'ML-GSAI/LLaDA'), kase('llada_x', 'NVlabs/Fast-dLLM'), kase('llada_y', 'a/b')];
      writeFileSync(file, JSON.stringify({ cases }));
      const routes = routeFile(file, 'llada').map((r) => r.route);
      expect(routes).toEqual([
        { covered: GENERATION_PARITY['ML-GSAI/LLaDA'] },
        { covered: GENERATION_PARITY['NVlabs/Fast-dLLM'] },
        { unknown: 'sampler case from source.repo a/b' },
      ]);
      expect(routes[0]).not.toEqual(routes[1]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('finds checkpoint folders', () => {
    expect(folders.length).toBeGreaterThan(0);
  });

  for (const name of folders) {
    it(`${name}: every file and case is checked by a test or pending`, () => {
      const dir = join(fixturesDir, name);
      const files = readdirSync(dir)
        .filter((f) => statSync(join(dir, f)).isFile())
        .sort();
      const configs = files.map((f) => readJson(join(dir, f))).filter((j) => checkpointFamily(j) !== undefined);
      expect(configs.length, `${name}: exactly one config`).toBe(1);
      const family = checkpointFamily(configs[0]);
      const routes = files.flatMap((f) => routeFile(join(dir, f), family).map((r) => ({ ...r, file: f })));
      const unknown = routes.flatMap((r) => ('unknown' in r.route ? [`${r.file} ${r.label}: ${r.route.unknown}`] : []));
      expect(unknown, `${name}: fixture files or cases neither covered nor pending`).toEqual([]);
      // One printed line per pending entry and file, with how many cases it holds back.
      const pending = new Map<string, { p: PendingFixture; n: number }>();
      for (const r of routes) {
        if (!('pending' in r.route)) continue;
        const key = `${r.file}\u0000${r.route.pending.what}`;
        const e = pending.get(key) ?? { p: r.route.pending, n: 0 };
        pending.set(key, { ...e, n: e.n + 1 });
      }
      for (const [key, { p, n }] of pending) {
        console.log(describePending(p, `${name}/${key.split('\u0000')[0]}: ${n} cases`));
      }
      expect(
        routes.some((r) => 'covered' in r.route),
        `${name}: at least the safetensors reader covers it`,
      ).toBe(true);
    });
  }
});
