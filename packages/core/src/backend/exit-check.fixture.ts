// Child process for wasm-threads.test.ts: initialises threaded wasm, runs a matmul, prints what
// it saw and then simply ends (argv[2] = 'natural'), calls shutdownBackend() first
// ('shutdown'), or computes again from a later 'beforeExit' listener ('late': after ours has
// ended the thread pool, so it must fall back to cpu rather than block). The test fails if the
// process does not exit by itself.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, shutdownBackend } from './select.ts';

const mode = process.argv[2] ?? 'natural';
const threads = Number(process.argv[3] ?? 2);
const info = await initBackend({ backend: 'wasm', threads, native: false, log: () => {}, env: {} });
const a = tf.ones([128, 64]);
const b = tf.ones([32, 64]);
const c = tf.matMul(a, b, false, true); // [128, 32], every entry 64
const v = c.dataSync();
process.stdout.write(`${JSON.stringify({ threads: info.threads, name: info.name, first: v[0], size: v.length })}\n`);
if (mode === 'shutdown') await shutdownBackend();
if (mode === 'late') {
  process.once('beforeExit', () => {
    const late = tf.matMul(tf.ones([256, 8]), tf.ones([8, 256])).dataSync();
    process.stdout.write(`${JSON.stringify({ late: tf.getBackend(), value: late[0] })}\n`);
  });
}
