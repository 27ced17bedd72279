// The LLaDA generation fixture cases of one reference repository, for the parity tests (generate-parity.test.ts:
// ML-GSAI/LLaDA; fastdllm-parity.test.ts: NVlabs/Fast-dLLM): every LLaDA checkpoint folder (config model_type
// `llada`) of the fixtures directory, with its sampler cases (a case with `knobs`) whose `source.repo` is `repo`,
// from every JSON file that has cases. Folders by content, cases by source, never by name.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Nd } from '@dlm/core';

const readJson = (p: string): unknown => {
  try {
    return JSON.parse(readFileSync(p, 'utf8'));
  } catch {
    return undefined;
  }
};
const isLlada = (dir: string) =>
  (readJson(join(dir, 'config.json')) as { model_type?: string } | undefined)?.model_type === 'llada';

export interface CaseFolder<C> {
  name: string;
  dir: string;
  cases: { file: string; c: C }[];
}

/** LLaDA folders of `fixturesDir` (sorted by name) with their cases from `repo`. */
export function lladaGenerationCases<C extends { knobs?: unknown; source?: { repo?: string } }>(
  fixturesDir: string,
  repo: string,
): CaseFolder<C>[] {
  return (existsSync(fixturesDir) ? readdirSync(fixturesDir, { withFileTypes: true }) : [])
    .filter((d) => d.isDirectory() && existsSync(join(fixturesDir, d.name, 'config.json')))
    .filter((d) => isLlada(join(fixturesDir, d.name)))
    .map((d) => {
      const dir = join(fixturesDir, d.name);
      const cases = readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .flatMap((f) => {
          const cs = (readJson(join(dir, f)) as { cases?: unknown } | undefined)?.cases;
          return Array.isArray(cs) ? (cs as C[]).map((c) => ({ file: f, c })) : [];
        })
        .filter(({ c }) => c.knobs !== undefined && c.source?.repo === repo);
      return { name: d.name, dir, cases };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** [B][L] rows → an int32 Nd [B, L]. */
export const idsNd = (rows: number[][]): Nd<Int32Array> => ({
  data: Int32Array.from(rows.flat()),
  shape: [rows.length, rows[0]!.length],
});

/** An int32 Nd [B, L] → [B][L] rows. */
export const idsRows = (a: Nd<Int32Array>): number[][] => {
  const [b, l] = a.shape as [number, number];
  return Array.from({ length: b }, (_, r) => Array.from(a.data.subarray(r * l, (r + 1) * l)));
};
