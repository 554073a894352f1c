// Bundles the GitHub Action's entry point (src/action/main.ts) into dist/index.mjs, which is
// committed (GitHub runs it without installing anything). `npm run build:action`; a test checks
// that the committed file is what this produces from the sources.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const ACTION_BUILD = {
  entryPoints: [fileURLToPath(new URL('../src/action/main.ts', import.meta.url))],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Dependencies written as CommonJS call require(): give the bundle one.
  banner: { js: "import { createRequire as __kubeminRequire } from 'node:module';\nconst require = __kubeminRequire(import.meta.url);" },
  legalComments: 'none',
  minify: true,
  sourcemap: false,
  logLevel: 'warning',
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = process.argv[2] ?? fileURLToPath(new URL('../dist/index.mjs', import.meta.url));
  await build({ ...ACTION_BUILD, outfile });
}
