// Every family, explicitly. A new family is one folder, one line here, one test.
import { Registry } from '@dlm/core';
import type { FamilyDef } from '../family.ts';
import { mdlmFamily } from './mdlm/mdlm.ts';
import { seddFamily } from './sedd/sedd.ts';

export const families = new Registry<FamilyDef>('family', [
  ['mdlm', mdlmFamily],
  ['sedd', seddFamily],
]);
export { mdlmFamily, buildMdlm } from './mdlm/mdlm.ts';
export { mdlmFamilySchema, ditModelSchema, type MdlmFamilyConfig, type DitModelConfig } from './mdlm/schema.ts';
export { seddFamily, buildSedd } from './sedd/sedd.ts';
export { seddFamilySchema, type SeddFamilyConfig } from './sedd/schema.ts';
