// Token shards: Arrow IPC files (file format) with one row per document:
//   tokens: List<Int32>  — the document's token ids (base tokenizer ids, no specials)
//   doc_id: Utf8        — the document id from the reader / corpus
// A List<Int32> column is stored as one flat int32 stream plus int32 offsets, so a shard
// loads straight into `TokenDocs` without per-document copies.
import {
  Field,
  Int32,
  List,
  Table,
  Utf8,
  makeData,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { DataError } from '../errors.ts';
import { tokenDocs, type TokenDocs } from '../packing/token-docs.ts';

export function encodeShard(docs: readonly Int32Array[], ids: readonly string[]): Uint8Array {
  const flat = tokenDocs(docs);
  const child = makeData({ type: new Int32(), length: flat.values.length, data: flat.values });
  const list = makeData({
    type: new List(new Field('item', new Int32(), false)),
    length: docs.length,
    nullCount: 0,
    valueOffsets: flat.offsets,
    child,
  });
  const table = new Table({ tokens: makeVector(list), doc_id: vectorFromArray([...ids], new Utf8()) });
  return tableToIPC(table, 'file');
}

/** Decodes a shard; any Arrow failure or unexpected layout is a DataError naming `file`. */
export function decodeShard(bytes: Uint8Array, file: string): TokenDocs & { ids: string[] } {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new DataError(
      { op: 'read token shard', arg: file, expected: 'an Arrow IPC file', got: (e as Error).message },
      'is corrupt or truncated',
    );
  }
  const tokens = table.getChild('tokens');
  const docIds = table.getChild('doc_id');
  if (!tokens || String(tokens.type) !== 'List<Int32>' || !docIds) {
    throw new DataError({
      op: 'read token shard',
      arg: file,
      expected: 'columns tokens: List<Int32> and doc_id: Utf8',
      got: table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`).join(', '),
    });
  }
  const parts: Int32Array[] = [];
  for (const data of tokens.data) {
    const off = data.valueOffsets as Int32Array;
    const child = data.children[0]!;
    const vals = (child.values as Int32Array).subarray(child.offset);
    for (let i = 0; i < data.length; i++) parts.push(vals.subarray(off[data.offset + i]!, off[data.offset + i + 1]!));
  }
  return { ...tokenDocs(parts), ids: docIds.toArray() as string[] };
}
