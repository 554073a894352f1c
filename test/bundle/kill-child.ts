/**
 * A child process for the kill tests: one bundle-directory operation through a file system that
 * SIGKILLs this process before its mutating call number N (counted from 0), i.e. after N of them.
 * When it is not killed it prints the mutating calls it made, one per line.
 *
 *   render <dir> <bundles.json> <N>   writeBundleDir (the bundles as JSON: app, files, plan)
 *   recover <dir> <N>                 what the next command does first: lock, complete or undo
 *
 * N = -1 never kills.
 */
import { readFileSync } from 'node:fs';
import { writeBundleDir } from '../../src/files/bundle-dir/bundle-dir.js';
import { nodeBundleFs, type BundleFs } from '../../src/files/bundle-dir/bundle-fs.js';
import { openBundleDir } from '../../src/files/bundle-dir/bundle-session.js';
import type { AppBundle } from '../../src/bundle/emit-bundle.js';

const [mode, dir, ...rest] = process.argv.slice(2);
const killAt = Number(rest.at(-1));
const calls: string[] = [];

function step(call: string, path: string): void {
  if (calls.length === killAt) process.kill(process.pid, 'SIGKILL');
  calls.push(`${call} ${path}`);
}

const fs: BundleFs = {
  ...nodeBundleFs,
  // fsync protects against a power loss, not a kill: skipped here, where it only costs time.
  syncFile: () => undefined,
  syncDir: () => undefined,
  mkdir: (path) => (step('mkdir', path), nodeBundleFs.mkdir(path)),
  write: (path, text) => (step('write', path), nodeBundleFs.write(path, text)),
  rename: (from, to) => (step('rename', `${from} -> ${to}`), nodeBundleFs.rename(from, to)),
  link: (existing, path) => (step('link', `${existing} -> ${path}`), nodeBundleFs.link(existing, path)),
  unlink: (path) => (step('unlink', path), nodeBundleFs.unlink(path)),
  rmdir: (path) => (step('rmdir', path), nodeBundleFs.rmdir(path)),
};

if (mode === 'render') {
  const bundles = JSON.parse(readFileSync(rest[0]!, 'utf8')) as AppBundle[];
  writeBundleDir(dir!, bundles, { fs });
} else if (mode === 'recover') {
  openBundleDir(fs, dir!, 'read').release();
} else {
  throw new Error(`unknown mode ${mode}`);
}
process.stdout.write(calls.map((c) => `${c}\n`).join(''));
