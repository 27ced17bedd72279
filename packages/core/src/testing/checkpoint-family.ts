// Which model a reference checkpoint folder holds, read from its config.json alone (never from the
// folder name): HF-style configs carry `model_type`; SEDD's hydra config has none but has `graph`
// and `tokens` (fixture README `checkpoints/` §3). Shared by the checkpoint fixture tests.

/** `model_type` of an HF-style config (mdlm, llada, gpt2, …), 'sedd' for a SEDD hydra config, else undefined. */
export function checkpointFamily(cfg: unknown): string | undefined {
  if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg)) return undefined;
  const c = cfg as Record<string, unknown>;
  if (typeof c['model_type'] === 'string') return c['model_type'];
  if (typeof c['graph'] === 'object' && c['graph'] !== null && typeof c['tokens'] === 'number') return 'sedd';
  return undefined;
}
