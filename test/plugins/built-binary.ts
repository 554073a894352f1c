import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';

/**
 * `bin/kubemin.js` as a user runs it, over the current sources: each src/ file transpiled to
 * build/src/ as `npm run build` emits it (esbuild, one file per file: no bundling, no type check),
 * in a temp dir beside a copy of bin/ and package.json, node_modules linked. Built once per test
 * file, in a fraction of a second; the repository's own build/ is left alone.
 */
export async function builtBinary(): Promise<string> {
  const dir = tempDir('kubemin-bin-');
  const src = join(REPO, 'src');
  const entryPoints = readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(src, f));
  await build({ entryPoints, outdir: join(dir, 'build', 'src'), outbase: src, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error' });
  mkdirSync(join(dir, 'bin'));
  copyFileSync(join(REPO, 'bin', 'kubemin.js'), join(dir, 'bin', 'kubemin.js'));
  copyFileSync(join(REPO, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  return join(dir, 'bin', 'kubemin.js');
}

export interface BinaryRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the binary in `cwd` with extra environment variables. */
export function runBinary(bin: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<BinaryRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
