// @dlm/data: Tokenizers, readers (txt, jsonl, csv, Arrow IPC, Parquet), prepare to Arrow token shards, block packing, seeded resumable loaders.
export {};
