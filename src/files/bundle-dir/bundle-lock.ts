import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { BundleLockError } from '../../bundle/bundle-errors.js';
import { errnoCode, type BundleFs } from './bundle-fs.js';

/**
 * The lock of a bundle directory: `DIR/.kubemin-render.lock`, holding `<pid> <host>`. Whoever
 * writes or reads the directory takes it; a second one fails at once naming the holder, as git does
 * with `index.lock`. A lock whose process is gone (same host, pid not running) is stale and taken
 * over. The lock is made whole before it has its name (a temporary file, then a hard link, which
 * fails when the name exists), so it never exists empty or half-written.
 */

export const LOCK_FILE = '.kubemin-render.lock';
const BREAKER = `${LOCK_FILE}.break`;
const TEMP = /^\.kubemin-render\.lock\.(\d+)\.tmp$/;
const ATTEMPTS = 8;

/** The locks this process holds now (by absolute path), so that its own pid in a lock is not taken for a previous life. */
const heldHere = new Set<string>();

interface LockHolder {
  readonly pid: number;
  readonly host: string;
}

export interface LockOptions {
  /** Who takes the lock (default: this process). */
  readonly self?: LockHolder;
  /** Whether a process of this host runs (default: signal 0). */
  readonly isAlive?: (pid: number) => boolean;
}

export interface BundleLock {
  readonly file: string;
  release(): void;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}

function holderText(h: LockHolder): string {
  return `${h.pid} ${h.host}\n`;
}

/** The holder written in a lock file; undefined when there is none, 'unknown' when it is not a kubemin lock. */
function readHolder(fs: BundleFs, path: string): LockHolder | 'unknown' | undefined {
  let text: string;
  try {
    text = fs.read(path).toString('utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  const m = /^(\d+) (\S+)\n$/.exec(text);
  return m ? { pid: Number(m[1]), host: m[2]! } : 'unknown';
}

function sameHolder(a: LockHolder | 'unknown' | undefined, b: LockHolder): boolean {
  return typeof a === 'object' && a.pid === b.pid && a.host === b.host;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Gives `path` the file `temp` unless `path` exists. Falls back to an exclusive create where hard links are not supported. */
function claim(fs: BundleFs, temp: string, path: string, text: string): boolean {
  try {
    fs.link(temp, path);
    return true;
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
  }
  try {
    fs.write(path, text);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return false;
    throw err;
  }
}

function unlinkQuietly(fs: BundleFs, path: string): void {
  try {
    fs.unlink(path);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
}

/**
 * Takes the lock of `dir` (which exists) or throws a BundleLockError naming the holder. File-system
 * errors (a read-only directory) are thrown as they are.
 */
export function lockBundleDir(fs: BundleFs, dir: string, opts: LockOptions = {}): BundleLock {
  const self = opts.self ?? { pid: process.pid, host: hostname() };
  const isAlive = opts.isAlive ?? processAlive;
  const lock = join(dir, LOCK_FILE);
  // A holder on another host cannot be checked: never stale. One with our pid is a previous life of
  // ours (a container's pid 1) unless this process holds the lock now; any other is stale when gone.
  const stale = (h: LockHolder): boolean => h.host === self.host && (h.pid === self.pid ? !heldHere.has(resolve(lock)) : !isAlive(h.pid));
  const temp = join(dir, `${LOCK_FILE}.${self.pid}.tmp`);
  const text = holderText(self);
  unlinkQuietly(fs, temp);
  fs.write(temp, text);
  let holder: LockHolder | 'unknown' | undefined;
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (claim(fs, temp, lock, text)) {
        removeDeadTemps(fs, dir, self, stale, isAlive);
        heldHere.add(resolve(lock));
        const release = (): void => {
          heldHere.delete(resolve(lock));
          if (sameHolder(readHolder(fs, lock), self)) unlinkQuietly(fs, lock);
        };
        return { file: lock, release };
      }
      holder = readHolder(fs, lock);
      if (holder === undefined) continue; // released meanwhile
      if (holder === 'unknown') throw new BundleLockError(lock, undefined);
      if (!stale(holder)) throw new BundleLockError(lock, describeHolder(holder, self));
      if (!breakStaleLock(fs, dir, temp, text, holder, stale)) sleep(10 * (attempt + 1));
    }
  } finally {
    unlinkQuietly(fs, temp);
  }
  throw new BundleLockError(lock, typeof holder === 'object' ? describeHolder(holder, self) : 'another kubemin process');
}

function describeHolder(h: LockHolder, self: LockHolder): string {
  if (h.host !== self.host) return `a kubemin process on host ${h.host} (pid ${h.pid})`;
  return h.pid === self.pid ? `another operation of this kubemin process (pid ${h.pid})` : `another kubemin process (pid ${h.pid})`;
}

/**
 * Deletes a stale lock, under a second lock (the breaker) so that two processes that both saw it
 * stale cannot delete each other's fresh lock. A breaker left by a process killed in these few
 * calls is stale too, and deleted. Returns false when someone else is breaking it right now.
 */
function breakStaleLock(fs: BundleFs, dir: string, temp: string, text: string, seen: LockHolder, stale: (h: LockHolder) => boolean): boolean {
  const breaker = join(dir, BREAKER);
  if (!claim(fs, temp, breaker, text)) {
    const other = readHolder(fs, breaker);
    if (other === 'unknown' || (other !== undefined && stale(other))) unlinkQuietly(fs, breaker);
    return false;
  }
  try {
    if (sameHolder(readHolder(fs, join(dir, LOCK_FILE)), seen)) unlinkQuietly(fs, join(dir, LOCK_FILE));
  } finally {
    unlinkQuietly(fs, breaker);
  }
  return true;
}

/** Temporary lock files of processes that were killed while taking the lock. */
function removeDeadTemps(fs: BundleFs, dir: string, self: LockHolder, stale: (h: LockHolder) => boolean, isAlive: (pid: number) => boolean): void {
  for (const e of fs.list(dir)) {
    const m = TEMP.exec(e.name);
    const pid = Number(m?.[1]);
    if (!m || pid === self.pid) continue;
    const h = readHolder(fs, join(dir, e.name));
    // Empty: created and killed before it was written (or being written right now, by a live pid).
    const dead = h === 'unknown' ? !isAlive(pid) : h !== undefined && stale(h);
    if (dead) unlinkQuietly(fs, join(dir, e.name));
  }
}
