import { describe, expect, it } from 'vitest';
import { ConfigIssuesError } from './issues.ts';
import { parseYaml } from './parse-yaml.ts';

describe('parseYaml', () => {
  it('parses YAML 1.2 scalars (3e-4 is a number, yes is a string)', () => {
    expect(parseYaml('lr: 3e-4\nflag: yes\nn: 0x10\nlist: [1, 2]\n', 'x.yaml')).toEqual({
      lr: 3e-4,
      flag: 'yes',
      n: 16,
      list: [1, 2],
    });
  });
  it('treats an empty document as an empty mapping', () => {
    expect(parseYaml('# nothing\n', 'x.yaml')).toEqual({});
  });
  it('rejects unknown tags instead of constructing objects', () => {
    expect(() => parseYaml('a: !!python/object:os.system ls\n', 'x.yaml')).toThrow(ConfigIssuesError);
    expect(() => parseYaml('a: !Ref b\n', 'x.yaml')).toThrow(/x\.yaml: line 1/);
  });
  it('rejects a root that is not a mapping, and syntax errors with their line', () => {
    expect(() => parseYaml('- a\n- b\n', 'x.yaml')).toThrow(/root is not a mapping/);
    expect(() => parseYaml('a: [1, 2\nb: 3\n', 'x.yaml')).toThrow(/x\.yaml: line \d+/);
  });
  it('keeps anchors and aliases (plain YAML, nothing evaluated)', () => {
    expect(parseYaml('base: &b {dim: 4}\nother: *b\n', 'x.yaml')).toEqual({ base: { dim: 4 }, other: { dim: 4 } });
  });
});
