// Which model a reference checkpoint folder holds, read from its config.json alone (never from the
// folder name): HF-style configs carry `model_type`; SEDD's hydra config has none but has `graph`
// and `tokens` (fixture README `checkpoints/` §3). Shared by the checkpoint fixture tests, which find their
// folders by content with checkpointFixtureFolders.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `model_type` of an HF-style config (mdlm, llada, gpt2, …), 'sedd' for a SEDD hydra config, else undefined. */
export function checkpointFamily(cfg: unknown): string | undefined {
  if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg)) return undefined;
  const c = cfg as Record<string, unknown>;
  if (typeof c['model_type'] === 'string') return c['model_type'];
  if (typeof c['graph'] === 'object' && c['graph'] !== null && typeof c['tokens'] === 'number') return 'sedd';
  return undefined;
}

/** The checkpoint fixtures folder: DLM_CHECKPOINT_FIXTURES_DIR, else `../shared/fixtures/checkpoints` of the repo. */
export function checkpointFixturesDir(): string {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
  return process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
}

/** The fixture folders whose config.json holds `family` (checkpointFamily), in name order; found by content. */
export function checkpointFixtureFolders(family: string): string[] {
  const root = checkpointFixturesDir();
  return readdirSync(root)
    .sort()
    .map((d) => join(root, d))
    .filter((d) => {
      const file = join(d, 'config.json');
      return existsSync(file) && checkpointFamily(JSON.parse(readFileSync(file, 'utf8'))) === family;
    });
}

/** The first fixture folder of `family`; an error naming the folder searched when there is none. */
export function checkpointFixtureFolder(family: string): string {
  const found = checkpointFixtureFolders(family)[0];
  if (found === undefined) throw new Error(`no ${family} checkpoint folder in ${checkpointFixturesDir()}`);
  return found;
}
