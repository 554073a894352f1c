// Bundles the CLI (src/cli/main.ts, which bin/kubemin.js runs) into build/cli/, so that a command
// loads a few files instead of some two hundred ES modules one by one (`npm run build`). Split at
// the lazy imports (each command's `await import(...)` becomes a chunk of its own: `--version`
// still loads no more than commander), npm packages left as imports (`packages: 'external'`: they
// are installed beside kubemin), and the two entry points of the plugin worker beside it
// (plugin-worker.js, plugin-supervisor.js: a repository's plugins run in a worker thread that
// starts them by file, src/plugins/worker-files.ts), as scripts/build-action.mjs does for the
// Action. No type check here: `npm run build` runs tsc too, and `npm test` tsc --noEmit.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const src = (path) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

export const CLI_BUILD = {
  entryPoints: { main: src('cli/main.ts'), 'plugin-worker': src('plugins/plugin-worker.ts'), 'plugin-supervisor': src('plugins/plugin-supervisor.ts') },
  bundle: true,
  splitting: true,
  // Chunks beside the entry points (not in a subdirectory): the code that finds the worker's
  // entry points, package.json and schemas/ by its own URL may land in any chunk.
  chunkNames: 'chunk-[hash]',
  packages: 'external',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // src/lazy-packages.ts names yaml and ajv with a literal require(): give each file a real one
  // (esbuild's stand-in for a missing require throws).
  banner: { js: "import { createRequire as __kubeminRequire } from 'node:module';\nconst require = __kubeminRequire(import.meta.url);" },
  legalComments: 'none',
  // Whitespace and syntax only: names stay as written (error classes, stack traces).
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
};

/** The entry points of the bundle, in its directory (build/cli/). */
export const CLI_ENTRIES = ['main.js', 'plugin-worker.js', 'plugin-supervisor.js'];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2] ?? fileURLToPath(new URL('../build/cli', import.meta.url));
  const { readdir, rm } = await import('node:fs/promises');
  const { basename } = await import('node:path');
  const { metafile } = await build({ ...CLI_BUILD, outdir, metafile: true });
  // A rebuild leaves no chunk of the previous one behind (chunk names are hashes). Files are
  // replaced in place, never the directory: a kubemin started meanwhile still finds its entry.
  const written = new Set(Object.keys(metafile.outputs).map((f) => basename(f)));
  for (const name of await readdir(outdir)) if (!written.has(name)) await rm(`${outdir}/${name}`, { force: true });
}
