export * from './layout.ts';
export * from './registry.ts';
export { checkLladaKnobs, lladaLayout } from './llada.ts';
export * from './ar-decode.ts';
export { gpt2Layout, gpt2NextTokenLogits } from './gpt2.ts';
export { mdlmLayout } from './mdlm.ts';
export { seddLayout } from './sedd.ts';
