// Sharded checkpoints: `model.safetensors.index.json` = {metadata, weight_map: {tensor: shardFile}}
// with shard files next to it (the Hugging Face layout of e.g. GSAI-ML/LLaDA-8B-Base,
// `model-00001-of-00006.safetensors`). Opening checks every shard exists and holds every tensor
// the index maps to it (headers only); tensors are then read lazily from their shard.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { CheckpointError, ConfigError, brief } from '../errors.ts';
import type { StateSource } from '../nn/state-source.ts';
import type { SafetensorsDtype } from './dtypes.ts';
import { type HostTensor, SafetensorsReader } from './reader.ts';
import { type TensorInput, type TensorMap, planLayout, writeSafetensors } from './writer.ts';

export const INDEX_FILE = 'model.safetensors.index.json';
export const SINGLE_FILE = 'model.safetensors';

const OP = 'safetensors.readSharded';

export class ShardedSafetensors {
  /** The index file path, used in error messages. */
  readonly indexFile: string;
  /** The index's `metadata` object as stored (e.g. {total_size}). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** tensor name → shard file name (relative to the index's folder). */
  readonly weightMap: ReadonlyMap<string, string>;
  private readonly shards = new Map<string, SafetensorsReader>();

  private constructor(indexFile: string, metadata: Record<string, unknown>, weightMap: Map<string, string>) {
    this.indexFile = indexFile;
    this.metadata = metadata;
    this.weightMap = weightMap;
  }

  static open(indexFile: string): ShardedSafetensors {
    function fail(detail: string, tensor?: string, expected?: string, got?: string): never {
      const arg = tensor === undefined ? `file ${indexFile}` : `file ${indexFile} tensor ${JSON.stringify(tensor)}`;
      throw new CheckpointError(
        { op: OP, arg, ...(expected !== undefined && { expected }), ...(got !== undefined && { got }) },
        detail,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(indexFile, 'utf8'));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      fail(code === 'ENOENT' ? 'does not exist' : `is not readable JSON (${(e as Error).message})`);
    }
    const root = json as { metadata?: unknown; weight_map?: unknown };
    if (
      typeof json !== 'object' ||
      json === null ||
      typeof root.weight_map !== 'object' ||
      root.weight_map === null ||
      Array.isArray(root.weight_map)
    ) {
      fail(
        'has no weight_map object',
        undefined,
        '{"metadata": {...}, "weight_map": {tensor: shardFile}}',
        brief(json, 60),
      );
    }
    const metadata = root.metadata === undefined ? {} : root.metadata;
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
      fail('metadata is not an object', undefined, 'an object', brief(metadata));
    const weightMap = new Map<string, string>();
    for (const [name, shard] of Object.entries(root.weight_map as Record<string, unknown>)) {
      if (
        typeof shard !== 'string' ||
        shard === '' ||
        isAbsolute(shard) ||
        normalize(shard).split(/[\\/]/).includes('..')
      ) {
        fail('maps to an invalid shard file name', name, 'a file name relative to the index folder', brief(shard));
      }
      weightMap.set(name, shard);
    }
    const sharded = new ShardedSafetensors(indexFile, metadata as Record<string, unknown>, weightMap);
    const dir = dirname(indexFile);
    for (const [name, shard] of weightMap) {
      let reader = sharded.shards.get(shard);
      if (!reader) {
        const path = join(dir, shard);
        if (!existsSync(path))
          fail(
            `maps to shard ${JSON.stringify(shard)}, which does not exist (${path})`,
            name,
            'every shard named in weight_map to exist',
          );
        reader = SafetensorsReader.open(path);
        sharded.shards.set(shard, reader);
      }
      if (!reader.has(name))
        fail(
          `maps to shard ${JSON.stringify(shard)}, which does not contain it`,
          name,
          `a tensor ${JSON.stringify(name)} in ${reader.file}`,
        );
    }
    return sharded;
  }

  /** Tensor names in index order. */
  get names(): string[] {
    return [...this.weightMap.keys()];
  }

  has(name: string): boolean {
    return this.weightMap.has(name);
  }

  /** The shard reader holding `name`. */
  shardOf(name: string): SafetensorsReader {
    const shard = this.weightMap.get(name);
    if (shard === undefined) {
      throw new CheckpointError(
        {
          op: OP,
          arg: `file ${this.indexFile} tensor ${JSON.stringify(name)}`,
          expected: `one of the ${this.weightMap.size} names in weight_map`,
        },
        'is not in the index',
      );
    }
    return this.shards.get(shard)!;
  }

  tensor(name: string): HostTensor {
    return this.shardOf(name).tensor(name);
  }

  /** Every tensor of the index, in index order (each shard read in one pass). */
  readAll(): Map<string, HostTensor> {
    const byShard = new Map<string, Map<string, HostTensor>>();
    for (const [shard, reader] of this.shards) byShard.set(shard, reader.readAll());
    return new Map(this.names.map((n) => [n, byShard.get(this.weightMap.get(n)!)!.get(n)!]));
  }
}

/**
 * Write tensors as shards `<prefix>-0000i-of-0000n.safetensors` of at most `maxShardBytes` data
 * bytes each (a single larger tensor gets its own shard) plus `<prefix>.safetensors.index.json`
 * with metadata {total_size} (the Hugging Face convention). Tensors go to shards in the order given.
 */
export function writeShardedSafetensors(
  dir: string,
  tensors: TensorMap,
  opts: { maxShardBytes: number; metadata?: Readonly<Record<string, string>>; prefix?: string },
): { indexFile: string; shards: string[] } {
  const { maxShardBytes, metadata, prefix = 'model' } = opts;
  if (!(Number.isSafeInteger(maxShardBytes) && maxShardBytes > 0)) {
    throw new ConfigError({
      op: 'safetensors.writeSharded',
      arg: 'maxShardBytes',
      expected: 'a positive integer',
      got: brief(maxShardBytes),
    });
  }
  const { inputs, infos } = planLayout(tensors); // validates every tensor before any file is written
  const sizes = new Map(infos.map((i) => [i.name, i.end - i.begin]));
  const groups: Map<string, TensorInput>[] = [];
  let current = new Map<string, TensorInput>();
  let bytes = 0;
  for (const [name, t] of inputs) {
    const size = sizes.get(name)!;
    if (current.size > 0 && bytes + size > maxShardBytes) {
      groups.push(current);
      current = new Map();
      bytes = 0;
    }
    current.set(name, t);
    bytes += size;
  }
  if (current.size > 0 || groups.length === 0) groups.push(current);
  const pad = (k: number): string => String(k).padStart(5, '0');
  const shards: string[] = [];
  const weightMap: Record<string, string> = {};
  groups.forEach((g, k) => {
    const file = `${prefix}-${pad(k + 1)}-of-${pad(groups.length)}.safetensors`;
    writeSafetensors(join(dir, file), g, metadata);
    shards.push(file);
    for (const name of g.keys()) weightMap[name] = file;
  });
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const indexFile = join(dir, `${prefix}.safetensors.index.json`);
  const tmp = `${indexFile}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }, null, 2)}\n`);
  renameSync(tmp, indexFile);
  return { indexFile, shards };
}

/** The checkpoint file of a folder (index.json if present, else model.safetensors), an index, or a file. */
export function resolveCheckpointFile(path: string): string {
  if (existsSync(path) && statSync(path).isDirectory()) {
    if (existsSync(join(path, INDEX_FILE))) return join(path, INDEX_FILE);
    if (existsSync(join(path, SINGLE_FILE))) return join(path, SINGLE_FILE);
    throw new CheckpointError(
      { op: 'safetensors.load', arg: `folder ${path}`, expected: `${INDEX_FILE} or ${SINGLE_FILE} inside` },
      'holds no safetensors checkpoint',
    );
  }
  return path;
}

/**
 * A checkpoint opened for streaming (a StateSource): every header is read and validated (and, for an index,
 * every shard checked to exist and hold its tensors) but no value; `stream` then reads one shard at a time
 * through one open file, one tensor at a time, decoded to float32 (F16/BF16) or the dtype's host array.
 */
export interface SafetensorsSource extends StateSource {
  readonly entries: ReadonlyMap<string, { readonly shape: readonly number[]; readonly dtype: SafetensorsDtype }>;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The files holding data (one, or every shard in index order) with their sizes in bytes. */
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
  read(name: string): HostTensor;
  stream(names?: ReadonlySet<string>): Iterable<[string, HostTensor]>;
}

export function openSafetensors(path: string): SafetensorsSource {
  const target = resolveCheckpointFile(path);
  const readers: SafetensorsReader[] = [];
  let metadata: Readonly<Record<string, unknown>>;
  let readerOf: (name: string) => SafetensorsReader;
  if (target.endsWith('.json')) {
    const s = ShardedSafetensors.open(target);
    metadata = s.metadata;
    for (const shard of new Set(s.weightMap.values())) readers.push(s.shardOf(firstNameIn(s, shard)));
    readerOf = (name) => s.shardOf(name);
  } else {
    const r = SafetensorsReader.open(target);
    readers.push(r);
    metadata = r.metadata;
    readerOf = () => r; // r.tensor names an unknown tensor
  }
  const entries = new Map<string, { shape: readonly number[]; dtype: SafetensorsDtype }>();
  for (const r of readers) for (const t of r.header.tensors) entries.set(t.name, { shape: t.shape, dtype: t.dtype });
  return {
    entries,
    metadata,
    files: readers.map((r) => ({ path: r.file, bytes: statSync(r.file).size })),
    read: (name) => readerOf(name).tensor(name),
    *stream(names) {
      for (const r of readers) yield* r.stream(names);
    },
  };
}

function firstNameIn(s: ShardedSafetensors, shard: string): string {
  for (const [n, f] of s.weightMap) if (f === shard) return n;
  throw new CheckpointError({ op: OP, arg: `file ${s.indexFile}`, expected: `a tensor in shard ${shard}` });
}

/**
 * Load a checkpoint from a folder (index.json if present, else model.safetensors), an index
 * file, or a single .safetensors file: every tensor and the metadata, all in memory (openSafetensors streams).
 */
export function loadSafetensors(path: string): {
  tensors: Map<string, HostTensor>;
  metadata: Readonly<Record<string, unknown>>;
} {
  const target = resolveCheckpointFile(path);
  if (target.endsWith('.json')) {
    const s = ShardedSafetensors.open(target);
    return { tensors: s.readAll(), metadata: s.metadata };
  }
  const r = SafetensorsReader.open(target);
  return { tensors: r.readAll(), metadata: r.metadata };
}
