// Named parameters: a Map from PyTorch-style dotted names ("blocks.0.attn_qkv.weight") to tfjs
// Variables, so a reference state dict loads by name and our checkpoints keep the same names.
// Initial values are drawn on the host from `rng.split(name)`: the same seed gives the same
// parameters on every backend and in any order of creation.
import { CheckpointError, ConfigError, ShapeError, brief } from '../errors.ts';
import type { Rng } from '../rng.ts';
import { sizeOf } from '../nd.ts';
import type { HostTensor } from '../safetensors/reader.ts';
import { tf } from '../tf.ts';
import { asStateSource, type StateSource } from './state-source.ts';

export type Init =
  | { kind: 'zeros' }
  | { kind: 'ones' }
  | { kind: 'constant'; value: number }
  /** mean + std·N(0, 1) */
  | { kind: 'normal'; std: number; mean?: number }
  /** U(−bound, bound) — torch's default Linear / kaiming_uniform(a=√5) init has bound 1/√fan_in. */
  | { kind: 'uniform'; bound: number }
  /** Given row-major values (e.g. a computed buffer such as rotary inv_freq). */
  | { kind: 'values'; data: ArrayLike<number> };

/** What a state-dict entry needs: a shape and row-major values. */
export type StateTensor = Pick<HostTensor, 'shape' | 'data'>;

interface Entry {
  variable: tf.Variable;
  trainable: boolean;
  /** Created by withPlaceholderParams: the load replaces the variable (old memory freed first), not assigns. */
  placeholder: boolean;
}

let nextStoreId = 0;
let placeholderDepth = 0;

/**
 * Builds a model whose every value a checkpoint load overwrites next: inside `build`, ParamStore.add ignores the
 * init and creates zeros on the backend (no host array, no random draws), so a large model costs neither the time
 * of its random init nor a host copy of it before the load.
 */
export function withPlaceholderParams<T>(build: () => T): T {
  placeholderDepth++;
  try {
    return build();
  } finally {
    placeholderDepth--;
  }
}

function describeNames(names: readonly string[], max = 12): string {
  const head = names.slice(0, max).join(', ');
  return names.length > max ? `${head}, … (${names.length} names)` : head;
}

export class ParamStore {
  /** Prefix of the tfjs variable names (tfjs requires globally unique names). */
  readonly id: string;
  private readonly entries = new Map<string, Entry>();
  private disposed = false;

  constructor(private readonly rng?: Rng) {
    this.id = `ps${nextStoreId++}`;
  }

  /** Host values of an init (float32). */
  private values(name: string, shape: readonly number[], init: Init): Float32Array {
    const out = new Float32Array(sizeOf(shape));
    switch (init.kind) {
      case 'zeros':
        return out;
      case 'ones':
        return out.fill(1);
      case 'constant':
        return out.fill(init.value);
      case 'values':
        if (init.data.length !== out.length)
          throw new ShapeError({
            op: 'ParamStore.add',
            arg: name,
            expected: `${out.length} values for shape [${shape}]`,
            got: String(init.data.length),
          });
        out.set(init.data);
        return out;
      case 'normal':
      case 'uniform': {
        if (!this.rng)
          throw new ConfigError({
            op: 'ParamStore.add',
            arg: name,
            expected: 'a store created with an Rng for random init',
          });
        const r = this.rng.split(name);
        if (init.kind === 'normal')
          for (let i = 0; i < out.length; i++) out[i] = (init.mean ?? 0) + init.std * r.normal();
        else for (let i = 0; i < out.length; i++) out[i] = init.bound * (2 * r.uniform() - 1);
        return out;
      }
    }
  }

  /** Creates parameter `name` of `shape`; a buffer (`trainable: false`) gets no gradient. */
  add(name: string, shape: readonly number[], init: Init, opts: { trainable?: boolean } = {}): tf.Variable {
    if (this.disposed) throw new ConfigError({ op: 'ParamStore.add', arg: name }, 'store was disposed');
    if (this.entries.has(name))
      throw new ConfigError({ op: 'ParamStore.add', arg: name, expected: 'a new name' }, 'is already defined');
    if (!shape.every((d) => Number.isInteger(d) && d > 0))
      throw new ShapeError({ op: 'ParamStore.add', arg: name, expected: 'positive integer dims', got: brief(shape) });
    const trainable = opts.trainable ?? true;
    const variable = tf.tidy(() => {
      const value =
        placeholderDepth > 0 ? tf.zeros([...shape], 'float32') : tf.tensor(this.values(name, shape, init), [...shape]);
      return tf.variable(value, trainable, `${this.id}/${name}`);
    });
    this.entries.set(name, { variable, trainable, placeholder: placeholderDepth > 0 });
    return variable;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): tf.Variable {
    const e = this.entries.get(name);
    if (!e)
      throw new ConfigError(
        { op: 'ParamStore.get', arg: name, expected: `one of ${describeNames([...this.entries.keys()])}` },
        'is not a parameter',
      );
    return e.variable;
  }

  /** get() when present, else undefined (optional parameters such as biases). */
  maybe(name: string): tf.Variable | undefined {
    return this.entries.get(name)?.variable;
  }

  /** All names (parameters and buffers), in creation order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Marks `name` trainable or not (a frozen parameter keeps its value: no gradient, no optimizer update). */
  setTrainable(name: string, trainable: boolean): void {
    const e = this.entries.get(name);
    if (!e)
      throw new ConfigError({ op: 'ParamStore.setTrainable', arg: name, expected: 'a parameter name' }, 'is unknown');
    e.trainable = trainable;
  }

  /** The trainable parameters by name, in creation order (what an optimizer updates). */
  trainable(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [n, e] of this.entries) if (e.trainable) out.set(n, e.variable);
    return out;
  }

  /** Number of scalar values (trainable only by default; `all` includes buffers). */
  numParams(opts: { all?: boolean } = {}): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.trainable || opts.all) n += e.variable.size;
    return n;
  }

  /**
   * Value of `loss()` (a scalar) and the gradient of every trainable parameter that influences
   * it, by name. The caller disposes `value` and every gradient.
   */
  valueAndGrads(loss: () => tf.Scalar): { value: tf.Scalar; grads: Map<string, tf.Tensor> } {
    const vars = this.trainable();
    const byVarName = new Map<string, string>();
    for (const [n, v] of vars) byVarName.set(v.name, n);
    const { value, grads } = tf.variableGrads(loss, [...vars.values()]);
    const out = new Map<string, tf.Tensor>();
    for (const [varName, g] of Object.entries(grads)) if (g) out.set(byVarName.get(varName)!, g);
    return { value, grads: out };
  }

  /**
   * Copies values in by name. `prefix` is stripped from the dict's names first (MDLM's hf_dit
   * layout stores `backbone.<name>`). Strict (default): every store name must be present and no
   * other name may be; shapes must match exactly. Names and shapes are checked before any value is
   * read; a StateSource (safetensors files) is then read one tensor at a time, each assigned and
   * dropped before the next.
   */
  load(dict: ReadonlyMap<string, StateTensor> | StateSource, opts: { prefix?: string; strict?: boolean } = {}): void {
    const op = 'ParamStore.load';
    const prefix = opts.prefix ?? '';
    const strict = opts.strict ?? true;
    const src = asStateSource(dict);
    const byStored = new Map<string, string>(); // stored name → parameter name
    const unknown: string[] = [];
    for (const k of src.entries.keys()) {
      const name = k.startsWith(prefix) ? k.slice(prefix.length) : undefined;
      if (name !== undefined && this.entries.has(name)) byStored.set(k, name);
      else unknown.push(k);
    }
    const found = new Set(byStored.values());
    const missing = [...this.entries.keys()].filter((n) => !found.has(n));
    if (strict && (unknown.length || missing.length)) {
      const parts = [];
      if (missing.length) parts.push(`missing ${describeNames(missing.map((n) => prefix + n))}`);
      if (unknown.length) parts.push(`unexpected ${describeNames(unknown)}`);
      throw new CheckpointError(
        { op, arg: 'state dict', expected: `exactly the ${this.entries.size} names of the model` },
        parts.join('; '),
      );
    }
    for (const [k, name] of byStored) {
      const v = this.entries.get(name)!.variable;
      const shape = src.entries.get(k)!.shape;
      if (shape.length !== v.rank || shape.some((d, i) => d !== v.shape[i])) {
        throw new CheckpointError({ op, arg: k, expected: `shape [${v.shape}]`, got: `[${shape}]` });
      }
    }
    for (const [k, t] of src.stream(new Set(byStored.keys()))) {
      const e = this.entries.get(byStored.get(k)!)!;
      const v = e.variable;
      if (t.data.length !== v.size)
        throw new CheckpointError({ op, arg: k, expected: `${v.size} values`, got: String(t.data.length) });
      const data = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data);
      if (e.placeholder) {
        // Free the placeholder before the value is allocated, so the backend reuses its memory (a wasm heap then
        // grows to the model's size, not the model plus its largest tensor and the fragments of the swaps).
        const [shape, name] = [v.shape, v.name];
        v.dispose();
        e.variable = tf.tidy(() => tf.variable(tf.tensor(data, shape, 'float32'), e.trainable, name));
        e.placeholder = false;
      } else {
        tf.tidy(() => v.assign(tf.tensor(data, v.shape, 'float32')));
      }
    }
  }

  /** Host copies of every parameter and buffer (F32), ready for writeSafetensors. */
  stateDict(opts: { prefix?: string } = {}): Map<string, HostTensor> {
    const out = new Map<string, HostTensor>();
    for (const [n, e] of this.entries)
      out.set((opts.prefix ?? '') + n, {
        dtype: 'F32',
        shape: [...e.variable.shape],
        data: Float32Array.from(e.variable.dataSync()),
      });
    return out;
  }

  dispose(): void {
    for (const e of this.entries.values()) e.variable.dispose();
    this.entries.clear();
    this.disposed = true;
  }
}
