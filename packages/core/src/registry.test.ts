import { describe, expect, it } from 'vitest';
import { Registry } from './registry.ts';
import { UnknownComponentError, ConfigError } from './errors.ts';

describe('Registry', () => {
  const reg = new Registry<number>('schedule', [
    ['loglinear', 1],
    ['geometric', 2],
  ]);

  it('returns registered entries in order', () => {
    expect(reg.get('geometric')).toBe(2);
    expect(reg.names()).toEqual(['loglinear', 'geometric']);
  });

  it('unknown name lists the valid names', () => {
    expect(() => reg.get('cosin')).toThrow(UnknownComponentError);
    expect(() => reg.get('cosin')).toThrow(/"cosin" is not a known schedule.*expected one of loglinear, geometric/);
  });

  it('a likely typo gets the nearest name; an unrelated name only the list', () => {
    expect(() => reg.get('loglinaer')).toThrow(
      /"loglinaer" is not a known schedule \(did you mean loglinear\?\), expected one of/,
    );
    expect(() => reg.get('Geometric')).toThrow(/did you mean geometric\?/);
    expect(() => reg.get('cosin')).not.toThrow(/did you mean/);
  });

  it('duplicate keys throw', () => {
    expect(
      () =>
        new Registry('x', [
          ['a', 1],
          ['a', 2],
        ]),
    ).toThrow(ConfigError);
    expect(
      () =>
        new Registry('x', [
          ['a', 1],
          ['a', 2],
        ]),
    ).toThrow(/a is already registered/);
  });
});
