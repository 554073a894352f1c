import {
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

type EntryKind = 'file' | 'dir' | 'other';

interface DirEntry {
  readonly name: string;
  /** Not followed: a symbolic link is `other`. */
  readonly kind: EntryKind;
}

/**
 * The file-system calls the bundle directory makes, and only those: synchronous, one call one
 * system call (or close to it), so that a test can wrap them, count the mutating ones and kill the
 * process between any two. Synchronous on purpose: thousands of small files are written several
 * times faster with sync calls than through promises, and nothing else runs meanwhile in a CLI.
 */
export interface BundleFs {
  /** What is at `path` (a link is `other` unless `follow`), or undefined when nothing is. */
  kind(path: string, opts?: { readonly follow?: boolean }): EntryKind | undefined;
  list(path: string): DirEntry[];
  read(path: string): Buffer;
  // Mutating calls: a kill falls between two of them.
  mkdir(path: string): void;
  /** Creates a new file (fails with EEXIST when one is there). */
  write(path: string, text: string): void;
  /** Replaces `to` when it is a file; a directory is renamed only where nothing is. */
  rename(from: string, to: string): void;
  /** A second name for a file; fails with EEXIST when `path` exists (the lock is taken this way). */
  link(existing: string, path: string): void;
  unlink(path: string): void;
  rmdir(path: string): void;
  // Durability (power loss), not needed against a kill.
  syncFile(path: string): void;
  syncDir(path: string): void;
}

function kindOf(isFile: boolean, isDirectory: boolean): EntryKind {
  return isFile ? 'file' : isDirectory ? 'dir' : 'other';
}

/** Runs a call on `path` whose error may not name it (a write or an fsync on a descriptor): name it. */
function naming<T>(path: string, call: () => T): T {
  try {
    return call();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e === 'object' && e.path === undefined) e.path = path;
    throw err;
  }
}

function syncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    naming(path, () => fsyncSync(fd));
  } finally {
    closeSync(fd);
  }
}

export const nodeBundleFs: BundleFs = {
  kind(path, opts) {
    const info = (opts?.follow ? statSync : lstatSync)(path, { throwIfNoEntry: false });
    return info ? kindOf(info.isFile(), info.isDirectory()) : undefined;
  },
  list: (path) => readdirSync(path, { withFileTypes: true }).map((e) => ({ name: e.name, kind: kindOf(e.isFile(), e.isDirectory()) })),
  read: (path) => readFileSync(path),
  mkdir: (path) => mkdirSync(path),
  write: (path, text) => naming(path, () => writeFileSync(path, text, { flag: 'wx' })),
  rename: (from, to) => renameSync(from, to),
  link: (existing, path) => linkSync(existing, path),
  unlink: (path) => unlinkSync(path),
  rmdir: (path) => rmdirSync(path),
  syncFile: syncPath,
  syncDir(path) {
    try {
      syncPath(path);
    } catch (err) {
      // Some platforms cannot open or fsync a directory; a rename is then as durable as they make it.
      if (!['EISDIR', 'EPERM', 'EINVAL', 'EACCES'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
    }
  },
};

/** Removes a directory tree through `fs`, one call per entry (a kill may stop it anywhere). */
export function removeTree(fs: BundleFs, path: string): void {
  const kind = fs.kind(path);
  if (kind === undefined) return;
  if (kind !== 'dir') {
    fs.unlink(path);
    return;
  }
  for (const e of fs.list(path)) removeTree(fs, join(path, e.name));
  fs.rmdir(path);
}

/** The errno code of a failed file-system call, if it is one. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
