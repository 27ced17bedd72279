export { AdamW, type AdamWOptions, type AdamWState } from './adamw.ts';
export { clipGradNorm, type ClipResult } from './clip-grad-norm.ts';
