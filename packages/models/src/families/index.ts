// Every family, explicitly. A new family is one folder, one line here, one test.
import { Registry } from '@dlm/core';
import type { FamilyDef } from '../family.ts';
import { mdlmFamily } from './mdlm/mdlm.ts';

export const families = new Registry<FamilyDef>('family', [['mdlm', mdlmFamily]]);
export { mdlmFamily, buildMdlm } from './mdlm/mdlm.ts';
export { mdlmFamilySchema, ditModelSchema, type MdlmFamilyConfig, type DitModelConfig } from './mdlm/schema.ts';
