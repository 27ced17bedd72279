export { DTYPES, type SafetensorsDtype, dtypeSize, isDtype, f16Bits, bf16Bits, f16Value, bf16Value } from './dtypes.ts';
export { type TensorInfo, type ParsedHeader, MAX_HEADER_BYTES } from './header.ts';
export { type HostTensor, SafetensorsReader, readSafetensors } from './reader.ts';
export { type TensorInput, type TensorMap, serializeSafetensors, writeSafetensors } from './writer.ts';
export {
  INDEX_FILE,
  SINGLE_FILE,
  ShardedSafetensors,
  writeShardedSafetensors,
  loadSafetensors,
  openSafetensors,
  resolveCheckpointFile,
  type SafetensorsSource,
} from './sharded.ts';
export { toTensor, fromTensor } from './tf-bridge.ts';
