// Every discrete graph, explicitly (SEDD's config `graph.type`: absorb → 'absorbing', uniform → 'uniform').
import { ConfigError, Registry, brief } from '@dlm/core';
import { absorbingGraph } from './absorbing.ts';
import { uniformGraph } from './uniform.ts';
import type { Graph } from './types.ts';

/** Factory from the process's own parameters: vocabulary size `dim` and (absorbing only) the mask column. */
export type GraphFactory = (params: { dim: number; maskIndex?: number }) => Graph;

function uniformFromParams(p: { dim: number; maskIndex?: number }): Graph {
  if (p.maskIndex !== undefined) {
    throw new ConfigError({
      op: 'uniformGraph',
      arg: 'maskIndex',
      expected: 'none (the uniform graph has no mask state)',
      got: brief(p.maskIndex),
    });
  }
  return uniformGraph({ dim: p.dim });
}

export const graphs = new Registry<GraphFactory>('graph', [
  ['absorbing', absorbingGraph],
  ['uniform', uniformFromParams],
]);
