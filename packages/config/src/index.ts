// @dlm/config: YAML experiments: strict zod validation, extends, --set overrides, resolved config.
export { resolvePaths, type PathRules } from './paths.ts';
export { resolveConfig, toYaml, deepFreeze, type ResolveOptions, type Resolved, type DeepReadonly } from './resolve.ts';
export { componentSlot, section, type ParamsSchema, type SlotOptions } from './slot.ts';
export { loadTree, loadText, readFileIfExists, displayName, type LoadedTree, type ReadFile } from './load.ts';
export { parseYaml } from './parse-yaml.ts';
export { parseOverride, applyOverride, SET_SOURCE, type Override } from './overrides.ts';
export { validateTree } from './validate.ts';
export { deepMerge, type Provenance, type Tree } from './merge.ts';
export { ConfigIssuesError, formatIssue, type ConfigIssue } from './issues.ts';
export { describeSchema, describeValue } from './schema-walk.ts';
export { editDistance, nearest } from '@dlm/core';
