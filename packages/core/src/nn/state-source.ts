// A state dict that is read lazily: names and shapes are known up front (from safetensors headers), values are
// read one tensor at a time in storage order, so a loader can check every name and shape before any value is read
// and then keep at most one decoded tensor alive (ParamStore.load accepts this besides a Map).
import type { StateTensor } from './param-store.ts';

export interface StateSource {
  /** Every name with its shape (and stored dtype when known), before any value is read. */
  readonly entries: ReadonlyMap<string, { readonly shape: readonly number[]; readonly dtype?: string | undefined }>;
  /** One tensor's values (row-major). */
  read(name: string): StateTensor;
  /**
   * The tensors of `names` (all when absent) in storage order, one at a time: each yielded tensor may be dropped
   * before the next is read.
   */
  stream(names?: ReadonlySet<string>): Iterable<[string, StateTensor]>;
}

export function isStateSource(x: unknown): x is StateSource {
  return (
    typeof x === 'object' &&
    x !== null &&
    !(x instanceof Map) &&
    'entries' in x &&
    'stream' in x &&
    typeof (x as StateSource).stream === 'function'
  );
}

/** A Map state dict as a StateSource (values already in memory). */
export function mapStateSource(dict: ReadonlyMap<string, StateTensor>): StateSource {
  const entries = new Map([...dict].map(([k, t]) => [k, { shape: t.shape }] as const));
  return {
    entries,
    read: (name) => dict.get(name)!,
    *stream(names) {
      for (const [k, t] of dict) if (!names || names.has(k)) yield [k, t];
    },
  };
}

/** Either form as a StateSource. */
export function asStateSource(dict: ReadonlyMap<string, StateTensor> | StateSource): StateSource {
  return isStateSource(dict) ? dict : mapStateSource(dict as ReadonlyMap<string, StateTensor>);
}

/**
 * A view of `src` under new names: `rename(stored)` gives the view's name, or undefined to drop the entry. Reads go
 * to the stored tensor; nothing is read while building the view.
 */
export function renameStateSource(src: StateSource, rename: (stored: string) => string | undefined): StateSource {
  const toStored = new Map<string, string>();
  const entries = new Map<string, { shape: readonly number[]; dtype?: string | undefined }>();
  for (const [k, e] of src.entries) {
    const n = rename(k);
    if (n === undefined) continue;
    toStored.set(n, k);
    entries.set(n, e);
  }
  const fromStored = new Map([...toStored].map(([n, k]) => [k, n]));
  return {
    entries,
    read: (name) => src.read(toStored.get(name) ?? name),
    *stream(names) {
      const stored = new Set<string>();
      for (const [n, k] of toStored) if (!names || names.has(n)) stored.add(k);
      for (const [k, t] of src.stream(stored)) yield [fromStored.get(k)!, t];
    },
  };
}
