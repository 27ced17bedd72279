// Registry<T>: an explicit name → component list. Built from an explicit list of entries so
// every component the project has is visible in one place; unknown names list the valid ones
// and, for a likely typo, the nearest one ("did you mean moby-dick?").
import { UnknownComponentError, ConfigError } from './errors.ts';
import { didYouMean } from './suggest.ts';

export class Registry<T> {
  readonly kind: string;
  private readonly entries = new Map<string, T>();

  /** `kind` names what is registered ("schedule", "sampler") and appears in errors. */
  constructor(kind: string, entries: Iterable<readonly [string, T]> = []) {
    this.kind = kind;
    for (const [name, value] of entries) this.register(name, value);
  }

  register(name: string, value: T): this {
    if (!name) throw new ConfigError({ op: `${this.kind} registry`, arg: 'name', expected: 'a non-empty string' });
    if (this.entries.has(name)) {
      throw new ConfigError({ op: `${this.kind} registry`, arg: name }, 'is already registered');
    }
    this.entries.set(name, value);
    return this;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): T {
    const v = this.entries.get(name);
    if (v === undefined) {
      const guess = didYouMean(name, this.names());
      throw new UnknownComponentError(
        { op: `${this.kind} registry`, arg: JSON.stringify(name), expected: `one of ${this.names().join(', ')}` },
        `is not a known ${this.kind}${guess === undefined ? '' : ` (did you mean ${guess}?)`}`,
      );
    }
    return v;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  [Symbol.iterator](): IterableIterator<[string, T]> {
    return this.entries.entries();
  }
}
