import { build } from 'esbuild';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';

/**
 * Bundles a TypeScript entry (and the sources it imports) into one file under a temporary
 * directory, for tests that start it many times as a child process: `node <file>` starts in a
 * fraction of the time tsx needs. `test/helpers/kubemin-process.ts` gives the CLI as bin/kubemin.js
 * runs it, built from the current sources.
 */
export async function bundleEntry(entry: string): Promise<string> {
  const outfile = join(tempDir('kubemin-bundled-'), 'entry.mjs');
  await build({
    entryPoints: [join(REPO, entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Dependencies written as CommonJS call require(): give the bundle one.
    banner: { js: "import { createRequire as __kubeminRequire } from 'node:module';\nconst require = __kubeminRequire(import.meta.url);" },
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}
