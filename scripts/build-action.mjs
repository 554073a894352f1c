// Bundles the GitHub Action's entry point (src/action/index.ts, which calls run() of
// src/action/main.ts) into dist/index.mjs for node24 (action.yml: runs.using), which is committed
// (GitHub runs it without installing anything), with the two entry points of the plugin worker
// beside it (dist/plugin-worker.mjs, dist/plugin-supervisor.mjs: a repository's
// plugins run in a worker thread, src/plugins/plugin-host.ts). `npm run build:action`; a test
// checks that the committed files are what this produces from the sources.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const src = (path) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

export const ACTION_BUILD = {
  entryPoints: { index: src('action/index.ts'), 'plugin-worker': src('plugins/plugin-worker.ts'), 'plugin-supervisor': src('plugins/plugin-supervisor.ts') },
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  // Dependencies written as CommonJS call require(): give the bundle one.
  banner: { js: "import { createRequire as __kubeminRequire } from 'node:module';\nconst require = __kubeminRequire(import.meta.url);" },
  legalComments: 'none',
  minify: true,
  sourcemap: false,
  logLevel: 'warning',
};

/** The files of the bundle, in its directory (dist/). */
export const ACTION_FILES = ['index.mjs', 'plugin-worker.mjs', 'plugin-supervisor.mjs'];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url));
  await build({ ...ACTION_BUILD, outdir });
}
