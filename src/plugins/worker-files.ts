import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PluginLoadError } from './extension-error.js';

/** How to start a worker: a file (the build, the Action's bundle), or code that loads one (the sources). */
export interface WorkerEntry {
  readonly target: string;
  readonly eval: boolean;
}

/**
 * Where the worker entry points are, beside this module: `.js` in the build, `.mjs` beside the
 * Action's bundle (dist/, scripts/build-action.mjs), `.ts` when kubemin runs from its sources
 * (tests): then the worker requires them through tsx's require hook, the one way Node 20 lets a
 * worker load TypeScript (a loader given with --import does not reach a worker's own entry).
 */
export function workerEntry(name: 'plugin-worker' | 'plugin-supervisor'): WorkerEntry {
  const ext = extname(fileURLToPath(import.meta.url));
  const file = fileURLToPath(new URL(`./${name}${ext}`, import.meta.url));
  // A bundle of kubemin must ship the worker's entry points beside it (scripts/build-action.mjs does).
  if (!existsSync(file))
    throw new PluginLoadError(
      `kubemin cannot run plugins: its plugin worker ${file} is missing (a bundle of kubemin must include src/plugins/${name}.ts as an entry point)`,
    );
  if (ext !== '.ts') return { target: file, eval: false };
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs');
  return { target: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(file)});`, eval: true };
}
