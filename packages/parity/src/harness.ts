// Fixture harness: loads every JSON file in the fixtures folder and gives each case to the
// checker its file's dispatcher routes it to. Nothing about inputs or outputs is hard-coded
// here or in the checkers: a folder regenerated from the same reference code with other
// seeds and shapes is checked the same way.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, closeReport, type NestedNumbers } from '@dlm/core';

export interface Tolerance {
  rtol: number;
  atol: number;
}

export interface FixtureCase {
  name: string;
  source?: Record<string, unknown>;
  // Fixture JSON is read as whatever each checker knows it to be: `any` keeps the checkers short.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  inputs: Record<string, any>;
  outputs: Record<string, any>;
  outputs_f64?: Record<string, any>;
  /* eslint-enable @typescript-eslint/no-explicit-any */
  note?: string;
}

export interface FixtureFile {
  file: string;
  tolerance: Tolerance;
  cases: FixtureCase[];
}

/** A checker asserts every output of one case; it throws on the first mismatch. */
export type Checker = (c: FixtureCase, file: FixtureFile) => void;

/** Per fixture file: picks the checker for a case (by name prefix / source function), or undefined. */
export interface Dispatcher {
  file: string;
  route(c: FixtureCase): Checker | undefined;
}

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../..');

/** `DLM_FIXTURES_DIR`, else ../shared/fixtures/reference beside the repo root. */
export function fixturesDir(): string {
  return process.env.DLM_FIXTURES_DIR
    ? resolve(process.env.DLM_FIXTURES_DIR)
    : resolve(repoRoot, '../shared/fixtures/reference');
}

export function loadFixtureDir(dir: string): FixtureFile[] {
  if (!existsSync(dir)) {
    throw new ConfigError(
      { op: 'loadFixtureDir', arg: dir, expected: 'a folder of fixture *.json files (set DLM_FIXTURES_DIR)' },
      'does not exist',
    );
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return files.map((file) => {
    const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<FixtureFile, 'file'>;
    if (!Array.isArray(raw.cases) || !raw.tolerance) {
      throw new ConfigError({ op: 'loadFixtureDir', arg: file, expected: 'an object with "tolerance" and "cases"' });
    }
    return { file, tolerance: raw.tolerance, cases: raw.cases };
  });
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return Number(v);
  if (ArrayBuffer.isView(v)) throw new Error('typed array where a scalar was expected');
  return NaN;
}

function toList(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  return v;
}

/**
 * numpy.allclose rules, element-wise over nested arrays: |got - exp| <= atol + rtol*|exp|.
 * `got` may be nested lists or a flat typed array with the same number of elements (row-major).
 * NaN matches NaN; infinities must match exactly.
 */
export function expectClose(label: string, got: unknown, expected: NestedNumbers | unknown, tol: Tolerance): void {
  const exp = flatNested(expected);
  const g = flatNested(toList(got));
  if (Array.isArray(expected) && Array.isArray(toList(got)) && !ArrayBuffer.isView(got)) {
    const se = shapeOf(expected),
      sg = shapeOf(toList(got));
    if (se.join(',') !== sg.join(',')) throw new Error(`${label}: shape [${sg}] but the reference has [${se}]`);
  }
  if (g.length !== exp.length) throw new Error(`${label}: ${g.length} values but the reference has ${exp.length}`);
  const r = closeReport(g, exp, tol.rtol, tol.atol);
  if (!(r.ratio <= 1)) {
    throw new Error(
      `${label}: element ${r.index} is ${r.got} but the reference has ${r.want} (rtol ${tol.rtol}, atol ${tol.atol})`,
    );
  }
}

/** Integer / boolean outputs: exact equality, booleans compared as 0/1. */
export function expectExact(label: string, got: unknown, expected: unknown): void {
  expectClose(label, got, expected, { rtol: 0, atol: 0 });
}

export function flatNested(x: unknown): number[] {
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (ArrayBuffer.isView(v)) out.push(...Array.from(v as unknown as ArrayLike<number>));
    else out.push(num(v));
  };
  walk(x);
  return out;
}

export function shapeOf(x: unknown): number[] {
  const s: number[] = [];
  let c = x;
  while (Array.isArray(c)) {
    s.push(c.length);
    c = c[0];
  }
  return s;
}

/** Tolerance for outputs that go through tfjs float32 (docs/design.md: tests and fixtures). */
export const FLOAT32_TOL: Tolerance = { rtol: 1e-4, atol: 1e-5 };
