// Node ESM resolve hook for tfjs's ESM `dist/` files. They import relative paths without an
// extension (`./gradients/Abs_grad`), and `./gradients` names both a file and a folder, which
// Node's ESM resolver refuses. Bundlers (vite/vitest) accept this; plain Node needs this hook to
// load `@tensorflow/tfjs-core/dist/register_all_gradients.js` (the gradients are not part of
// tfjs-core's CJS node bundle). Only relative, extensionless specifiers inside @tensorflow
// packages are touched, and only when `<specifier>.js` exists.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (
    parent &&
    parent.includes('/@tensorflow/') &&
    (specifier.startsWith('./') || specifier.startsWith('../')) &&
    !/\.[cm]?js$/.test(specifier)
  ) {
    const candidate = new URL(`${specifier}.js`, parent);
    if (existsSync(fileURLToPath(candidate))) return nextResolve(candidate.href, context);
  }
  return nextResolve(specifier, context);
}
