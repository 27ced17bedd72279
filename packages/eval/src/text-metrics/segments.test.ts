import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertAligned, readSegments, splitSegments } from './segments.ts';

describe('segment files', () => {
  it('drops one final newline and keeps every segment exactly (blanks, tabs, empty lines)', () => {
    expect(splitSegments('a\n  b \n\n\tc\n')).toEqual(['a', '  b ', '', '\tc']);
    expect(splitSegments('a\nb')).toEqual(['a', 'b']);
    expect(splitSegments('\n')).toEqual(['']);
    expect(splitSegments('a\n\n')).toEqual(['a', '']);
    expect(splitSegments('')).toEqual([]);
  });

  it('reads a file; a missing file is a named error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlm-seg-'));
    writeFileSync(join(dir, 'h.txt'), 'x y\n\n z\n');
    expect(readSegments(join(dir, 'h.txt'), '--hyp')).toEqual(['x y', '', ' z']);
    expect(() => readSegments(join(dir, 'nope.txt'), '--ref', 'dlm metrics')).toThrow(
      /dlm metrics: --ref.*expected an existing text file.*nope\.txt/,
    );
    expect(() => readSegments(dir, '--ref')).toThrow(/--ref.*existing text file/);
  });

  it('aligned lists or a ShapeError naming both sides', () => {
    expect(() => assertAligned('op', ['a'], ['b'])).not.toThrow();
    expect(() => assertAligned('op', ['a', 'b'], ['c'], { hyps: 'h.txt', refs: 'r.txt' })).toThrow(
      /op: r\.txt, expected 2 lines, as many as h\.txt, got 1 lines/,
    );
  });
});
