// A minimal Parquet writer for test fixtures: string (UTF8) columns, REQUIRED, PLAIN encoding,
// uncompressed, one data page per column chunk, `rowsPerGroup` rows per row group. Enough for
// hyparquet to read back; not a general writer. Layout (parquet-format):
//   "PAR1" | row groups (page header + values per column) | FileMetaData (thrift compact) | len | "PAR1"

class Compact {
  bytes: number[] = [];
  private last: number[] = [0];
  varint(n: bigint | number): void {
    let v = BigInt(n);
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v) b |= 0x80;
      this.bytes.push(b);
    } while (v);
  }
  zigzag(n: number): void {
    const v = BigInt(n);
    this.varint(v >= 0n ? v << 1n : (-v << 1n) - 1n);
  }
  field(id: number, type: number): void {
    const delta = id - this.last[this.last.length - 1]!;
    if (delta > 0 && delta <= 15) this.bytes.push((delta << 4) | type);
    else {
      this.bytes.push(type);
      this.zigzag(id);
    }
    this.last[this.last.length - 1] = id;
  }
  i32(id: number, v: number): void {
    this.field(id, 5);
    this.zigzag(v);
  }
  i64(id: number, v: number): void {
    this.field(id, 6);
    this.zigzag(v);
  }
  str(id: number, s: string): void {
    this.field(id, 8);
    this.rawStr(s);
  }
  list(id: number, elemType: number, n: number, each: (i: number) => void): void {
    this.field(id, 9);
    if (n < 15) this.bytes.push((n << 4) | elemType);
    else {
      this.bytes.push(0xf0 | elemType);
      this.varint(n);
    }
    for (let i = 0; i < n; i++) each(i);
  }
  rawI32(v: number): void {
    this.zigzag(v);
  }
  rawStr(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.varint(b.length);
    for (const x of b) this.bytes.push(x);
  }
  struct(id: number | null, body: () => void): void {
    if (id !== null) this.field(id, 12);
    this.last.push(0);
    body();
    this.bytes.push(0);
    this.last.pop();
  }
}

export function writeTinyParquet(columns: Record<string, string[]>, rowsPerGroup = Infinity): Uint8Array {
  const names = Object.keys(columns);
  const numRows = columns[names[0]!]!.length;
  const parts: Uint8Array[] = [Buffer.from('PAR1')];
  let size = 4;
  const emit = (b: Uint8Array) => {
    parts.push(b);
    size += b.length;
  };
  const groups: { start: number; rows: number; chunks: { offset: number; size: number; values: number }[] }[] = [];
  for (let start = 0; start < numRows || (numRows === 0 && groups.length === 0); start += rowsPerGroup) {
    const rows = Math.min(rowsPerGroup, numRows - start);
    const chunks = names.map((name) => {
      const pieces: Buffer[] = [];
      for (const s of columns[name]!.slice(start, start + rows)) {
        const b = Buffer.from(s, 'utf8');
        const len = Buffer.alloc(4);
        len.writeUInt32LE(b.length);
        pieces.push(len, b);
      }
      const values = Buffer.concat(pieces);
      const h = new Compact();
      h.struct(null, () => {
        h.i32(1, 0); // DATA_PAGE
        h.i32(2, values.length);
        h.i32(3, values.length);
        h.struct(5, () => {
          h.i32(1, rows);
          h.i32(2, 0); // PLAIN
          h.i32(3, 3); // RLE
          h.i32(4, 3);
        });
      });
      const offset = size;
      emit(Uint8Array.from(h.bytes));
      emit(values);
      return { offset, size: h.bytes.length + values.length, values: rows };
    });
    groups.push({ start, rows, chunks });
    if (numRows === 0) break;
  }
  const m = new Compact();
  m.struct(null, () => {
    m.i32(1, 1);
    m.list(2, 12, names.length + 1, (i) =>
      m.struct(null, () => {
        if (i === 0) {
          m.str(4, 'schema');
          m.i32(5, names.length);
        } else {
          m.i32(1, 6); // BYTE_ARRAY
          m.i32(3, 0); // REQUIRED
          m.str(4, names[i - 1]!);
          m.i32(6, 0); // converted type UTF8
        }
      }),
    );
    m.i64(3, numRows);
    m.list(4, 12, groups.length, (g) =>
      m.struct(null, () => {
        const grp = groups[g]!;
        m.list(1, 12, grp.chunks.length, (c) =>
          m.struct(null, () => {
            const ch = grp.chunks[c]!;
            m.i64(2, ch.offset);
            m.struct(3, () => {
              m.i32(1, 6);
              m.list(2, 5, 1, () => m.rawI32(0));
              m.list(3, 8, 1, () => m.rawStr(names[c]!));
              m.i32(4, 0); // UNCOMPRESSED
              m.i64(5, ch.values);
              m.i64(6, ch.size);
              m.i64(7, ch.size);
              m.i64(9, ch.offset);
            });
          }),
        );
        m.i64(
          2,
          grp.chunks.reduce((a, c) => a + c.size, 0),
        );
        m.i64(3, grp.rows);
      }),
    );
  });
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(m.bytes.length);
  tail.write('PAR1', 4);
  emit(Uint8Array.from(m.bytes));
  emit(tail);
  return Uint8Array.from(Buffer.concat(parts));
}
