// Every case of every fixture file is checked; a case no checker claims is a failure, unless it is
// a sampler case (with `knobs`) whose source repo is in @dlm/core's pending fixture list.
import { beforeAll, describe, expect, it } from 'vitest';
import { describePending, initBackend, pendingGenerationSource, type PendingFixture } from '@dlm/core';
import { dispatchers } from './checkers/index.ts';
import { fixturesDir, loadFixtureDir, type FixtureCase } from './harness.ts';

/** The pending entry of a sampler case nothing checks yet (routed by its source repo, never its name). */
function pendingOf(c: FixtureCase): PendingFixture | undefined {
  if ((c as { knobs?: unknown }).knobs === undefined) return undefined;
  const repo = c.source?.['repo'];
  return pendingGenerationSource(typeof repo === 'string' ? repo : undefined);
}

const dir = fixturesDir();
const files = loadFixtureDir(dir);

// Checkers that run tfjs (losses at FLOAT32_TOL) need a backend; the CPU one is exact enough and always there. The
// native rerun (DLM_NATIVE=1, vitest.config.ts) checks them on wasm, where the native kernels apply.
beforeAll(async () => {
  await initBackend({ backend: process.env['DLM_NATIVE'] === '1' ? 'wasm' : 'cpu' });
});

describe(`reference parity (${dir})`, () => {
  it('the folder holds fixture files', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const f of files) {
    describe(f.file, () => {
      const d = dispatchers.find((x) => x.file === f.file);
      it('has a dispatcher (or only pending cases)', () => {
        if (!d && !f.cases.every((c) => pendingOf(c))) {
          const known = dispatchers.map((x) => x.file).join(', ');
          throw new Error(`no dispatcher for fixture file ${f.file}; known: ${known}`);
        }
      });
      it('has cases', () => expect(f.cases.length).toBeGreaterThan(0));
      for (const c of f.cases) {
        it(c.name, () => {
          const check = d?.route(c);
          const pending = check ? undefined : pendingOf(c);
          if (pending) return void console.log(describePending(pending, `${f.file} ${c.name}`));
          if (!check) throw new Error(`no checker claims case "${c.name}" of ${f.file}`);
          check(c, f);
        });
      }
    });
  }
});
