import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { CLI_BUILD } from '../../scripts/build-cli.mjs';
import { tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';

/**
 * `bin/kubemin.js` as a user runs it, over the current sources: the CLI bundled into build/cli/
 * as `npm run build` bundles it (scripts/build-cli.mjs: the same options, so also the plugin
 * worker's entry points), in a temp dir beside a copy of bin/ and package.json, node_modules
 * linked. Built once per test file, in a fraction of a second; the repository's own build/ is
 * left alone.
 */
export async function builtBinary(): Promise<string> {
  const dir = tempDir('kubemin-bin-');
  await build({ ...CLI_BUILD, outdir: join(dir, 'build', 'cli'), logLevel: 'error' });
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
