// `dlm info <checkpoint folder>`: what a published-layout folder holds and whether this machine can hold it.
// From the headers alone (no value read): layout, family, stored tensors and their parameter count, dtypes, file
// bytes, and the float32 bytes the weights take once loaded (every dtype is converted to float32 on load); then
// the limits: the backend's heap (wasm: 4 GiB − 64 KiB; others: none known) and free system memory. Finally a
// real load (openModel: the streaming load of the family model) measured: process RSS before and after, the
// process's peak RSS (process.resourceUsage().maxRSS, a high-water mark over the whole process) before and after
// the load — when the load raises it, the peak after is the load's own peak; when not, the load stayed below the
// earlier peak — tf.memory() bytes and tensors before/after, wall clock.
import { freemem, totalmem } from 'node:os';
import { ConfigError, dtypeSize, openSafetensors, tf, type SafetensorsDtype } from '@dlm/core';
import { backendMemoryLimit, detectCheckpointLayout } from '@dlm/models';
import { isRunDir, openModel } from './open-model.ts';

export interface CheckpointInfo {
  folder: string;
  layout: string;
  describe: string;
  family: string;
  /** Scalars of the stored tensors (buffers such as rotary inv_freq / GPT-2's causal mask included). */
  storedScalars: number;
  tensors: number;
  /** Stored dtype → {tensors, bytes}. */
  dtypes: Record<string, { tensors: number; bytes: number }>;
  files: { path: string; bytes: number }[];
  fileBytes: number;
  /** float32 bytes of the stored tensors once loaded (4 per scalar): the weights alone, no activations. */
  float32Bytes: number;
  backend: string;
  /** The backend's tensor memory limit when one is known (wasm), else null. */
  backendLimitBytes: number | null;
  fitsBackend: boolean | null;
  freeSystemBytes: number;
  totalSystemBytes: number;
  fitsFreeMemory: boolean;
  /** Measured on a real load (absent with `measure: false`). */
  load?: LoadMeasure | undefined;
}

export interface LoadMeasure {
  seconds: number;
  /** Trainable parameters + buffers of the loaded family model. */
  modelScalars: number;
  rssBefore: number;
  rssAfter: number;
  /** process.resourceUsage().maxRSS (bytes) before the load: the process's peak until then. */
  peakRssBefore: number;
  /** process.resourceUsage().maxRSS (bytes) after the load. */
  peakRssAfter: number;
  /** The load raised the process peak: peakRssAfter is the load's own peak RSS. */
  loadSetPeak: boolean;
  /** The load's peak RSS over the RSS before it: exact when loadSetPeak, else a bound (peakRssBefore − rssBefore). */
  peakRssIncrease: number;
  tfBytesBefore: number;
  tfBytesAfter: number;
  tfTensorsAfter: number;
}

export async function checkpointInfo(
  folder: string,
  o: { backend: string; measure?: boolean; op?: string },
): Promise<CheckpointInfo> {
  const op = o.op ?? 'dlm info';
  if (isRunDir(folder)) {
    const expected = 'a checkpoint folder (config.json + safetensors); a run directory is described by dlm metrics';
    throw new ConfigError({ op, arg: folder, expected }, 'is a run directory');
  }
  const { layout, config, file } = detectCheckpointLayout(folder, op);
  const x = layout.experiment(folder, config, file);
  const src = openSafetensors(folder);
  const dtypes: CheckpointInfo['dtypes'] = {};
  let storedScalars = 0;
  for (const e of src.entries.values()) {
    const n = e.shape.reduce((a, b) => a * b, 1);
    storedScalars += n;
    const d = (dtypes[e.dtype] ??= { tensors: 0, bytes: 0 });
    d.tensors++;
    d.bytes += n * bytesOf(e.dtype);
  }
  const float32Bytes = 4 * storedScalars;
  const limit = backendMemoryLimit(o.backend);
  const free = freemem();
  const info: CheckpointInfo = {
    folder,
    layout: layout.name,
    describe: layout.describe,
    family: x.family.name,
    storedScalars,
    tensors: src.entries.size,
    dtypes,
    files: src.files.map((f) => ({ path: f.path, bytes: f.bytes })),
    fileBytes: src.files.reduce((a, f) => a + f.bytes, 0),
    float32Bytes,
    backend: o.backend,
    backendLimitBytes: limit ?? null,
    fitsBackend: limit === undefined ? null : float32Bytes <= limit,
    freeSystemBytes: free,
    totalSystemBytes: totalmem(),
    fitsFreeMemory: float32Bytes <= free,
  };
  if (o.measure === false) return info;
  const tfBefore = tf.memory().numBytes;
  const rssBefore = process.memoryUsage().rss;
  const peakRssBefore = process.resourceUsage().maxRSS * 1024;
  const t0 = performance.now();
  const m = await openModel(folder, { op, log: () => {} });
  try {
    const seconds = (performance.now() - t0) / 1000;
    const peakRssAfter = process.resourceUsage().maxRSS * 1024;
    info.load = {
      seconds,
      modelScalars: m.model.params.numParams({ all: true }),
      rssBefore,
      rssAfter: process.memoryUsage().rss,
      peakRssBefore,
      peakRssAfter,
      loadSetPeak: peakRssAfter > peakRssBefore,
      peakRssIncrease: Math.max(0, peakRssAfter - rssBefore),
      tfBytesBefore: tfBefore,
      tfBytesAfter: tf.memory().numBytes,
      tfTensorsAfter: tf.memory().numTensors,
    };
  } finally {
    m.dispose();
  }
  return info;
}

function bytesOf(dtype: SafetensorsDtype): number {
  return dtypeSize(dtype);
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(2)} MiB`;
const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;

/** The text lines of `dlm info <folder>`. */
export function formatCheckpointInfo(i: CheckpointInfo): string[] {
  const dt = Object.entries(i.dtypes)
    .map(([d, v]) => `${d} ×${v.tensors} (${mib(v.bytes)})`)
    .join(', ');
  const yes = (b: boolean) => (b ? 'fits' : 'does NOT fit');
  const lines = [
    `folder       ${i.folder}`,
    `layout       ${i.layout}: ${i.describe}`,
    `family       ${i.family}`,
    `parameters   ${i.storedScalars.toLocaleString('en-US')} stored scalars in ${i.tensors} tensors`,
    `dtypes       ${dt}`,
    `files        ${i.files.length} file(s), ${mib(i.fileBytes)}`,
    `float32      ${mib(i.float32Bytes)} once loaded (weights only; every dtype becomes float32)`,
    `backend      ${i.backend}: ${
      i.backendLimitBytes === null
        ? 'no known heap limit'
        : `heap limit ${gib(i.backendLimitBytes)} → ${yes(i.fitsBackend === true)}`
    }`,
    `system       ${gib(i.freeSystemBytes)} free of ${gib(i.totalSystemBytes)} → ${yes(i.fitsFreeMemory)}`,
  ];
  const l = i.load;
  if (l) {
    lines.push(
      `load         ${l.seconds.toFixed(2)} s, ${l.modelScalars.toLocaleString('en-US')} scalars in the family model`,
      `  RSS        ${mib(l.rssBefore)} before, ${mib(l.rssAfter)} after; ` +
        (l.loadSetPeak
          ? `load peak ${mib(l.peakRssAfter)} (+${mib(l.peakRssIncrease)})`
          : `load peak below the earlier process peak ${mib(l.peakRssBefore)} (≤ +${mib(l.peakRssIncrease)})`),
      `  tf.memory  ${mib(l.tfBytesBefore)} before, ${mib(l.tfBytesAfter)} with the model (${l.tfTensorsAfter} tensors)`,
    );
  }
  return lines;
}
