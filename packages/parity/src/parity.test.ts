// Every case of every fixture file is checked; a case no checker claims is a failure.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@dlm/core';
import { dispatchers } from './checkers/index.ts';
import { fixturesDir, loadFixtureDir } from './harness.ts';

const dir = fixturesDir();
const files = loadFixtureDir(dir);

// Checkers that run tfjs (losses at FLOAT32_TOL) need a backend; the CPU one is exact enough and always there.
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe(`reference parity (${dir})`, () => {
  it('the folder holds fixture files', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const f of files) {
    describe(f.file, () => {
      const d = dispatchers.find((x) => x.file === f.file);
      it('has a dispatcher', () => {
        if (!d) throw new Error(`no dispatcher for fixture file ${f.file}; known: ${dispatchers.map((x) => x.file).join(', ')}`);
      });
      it('has cases', () => expect(f.cases.length).toBeGreaterThan(0));
      for (const c of f.cases) {
        it(c.name, () => {
          const check = d?.route(c);
          if (!check) throw new Error(`no checker claims case "${c.name}" of ${f.file}`);
          check(c, f);
        });
      }
    });
  }
});
