// Every family, explicitly. A new family is one folder (schema, FamilyDef + build, test) and one
// line here; the runner's family contract test picks it up from this registry.
import { Registry } from '@dlm/core';
import type { FamilyDef } from '../family.ts';
import { arFamily } from './ar/ar.ts';
import { diffusionLmFamily } from './diffusion-lm/diffusion-lm.ts';
import { diffuseqFamily } from './diffuseq/diffuseq.ts';
import { lladaFamily } from './llada/llada.ts';
import { mdlmFamily } from './mdlm/mdlm.ts';
import { seddFamily } from './sedd/sedd.ts';

export const families = new Registry<FamilyDef>('family', [
  ['mdlm', mdlmFamily],
  ['sedd', seddFamily],
  ['ar', arFamily],
  ['llada', lladaFamily],
  ['diffusion-lm', diffusionLmFamily],
  ['diffuseq', diffuseqFamily],
]);
export { mdlmFamily, buildMdlm } from './mdlm/mdlm.ts';
export { mdlmFamilySchema, type MdlmFamilyConfig } from './mdlm/schema.ts';
export { seddFamily, buildSedd } from './sedd/sedd.ts';
export { seddFamilySchema, type SeddFamilyConfig } from './sedd/schema.ts';
export { arFamily, arSamplers, buildAr, type ArSampler } from './ar/ar.ts';
export { arDecode, type ArDecodeRequest, type ArDecodeResult } from './ar/decode.ts';
export { arFamilySchema, type ArFamilyConfig } from './ar/schema.ts';
export { lladaFamily, buildLlada } from './llada/llada.ts';
export { lladaFamilySchema, type LladaFamilyConfig } from './llada/schema.ts';
export { diffusionLmFamily } from './diffusion-lm/diffusion-lm.ts';
export { diffusionLmFamilySchema, type DiffusionLmFamilyConfig } from './diffusion-lm/schema.ts';
export { embeddingSamplers, type EmbeddingSampler } from './diffusion-lm/samplers.ts';
export { diffuseqFamily } from './diffuseq/diffuseq.ts';
export { diffuseqFamilySchema, type DiffuseqFamilyConfig } from './diffuseq/schema.ts';
export * from './llada/forward-process.ts';
export * from './llada/mc-loglik.ts';
