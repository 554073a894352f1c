import { join } from 'node:path';
import { BundleDirError } from '../../bundle/bundle-errors.js';
import { errnoCode, type BundleFs } from './bundle-fs.js';
import { lockBundleDir, type LockOptions } from './bundle-lock.js';
import { recoverBundleDir, STAGING_DIR, type Recovery } from './bundle-transaction.js';

/** Reading only (a directory that cannot be written is read without the lock when it needs no recovery), or writing. */
export type BundleAccess = 'read' | 'write';

export interface BundleSession {
  /** What the previous, interrupted process left and this one completed or undid. */
  readonly recovery: Recovery;
  release(): void;
}

/**
 * Takes the lock of an existing bundle directory and completes (or undoes) a change a killed
 * process left, before anything of the directory is read or written.
 */
export function openBundleDir(fs: BundleFs, dir: string, access: BundleAccess, lockOpts: LockOptions = {}): BundleSession {
  let lock;
  try {
    lock = lockBundleDir(fs, dir, lockOpts);
  } catch (err) {
    // A file-system error (a read-only directory) is thrown as it is: the CLI says it in one line.
    const code = errnoCode(err);
    if (err instanceof BundleDirError || code === undefined) throw err;
    if (access === 'read' && (code === 'EROFS' || code === 'EACCES' || code === 'EPERM')) {
      if (fs.kind(join(dir, STAGING_DIR)) !== undefined) {
        throw new BundleDirError(
          `${dir} holds an interrupted render (${STAGING_DIR}/) that cannot be completed here (${code}): run kubemin render --out ${dir} where it can be written`,
        );
      }
      return { recovery: 'clean', release: () => undefined };
    }
    throw err;
  }
  const held = lock;
  const release = (): void => {
    try {
      held.release();
    } catch {
      // A lock that cannot be deleted names a process that is gone: the next one takes it over.
    }
  };
  try {
    return { recovery: recoverBundleDir(fs, dir), release };
  } catch (err) {
    release();
    throw err;
  }
}
