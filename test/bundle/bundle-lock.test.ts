import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBundleDir } from '../../src/files/bundle-dir/bundle-dir.js';
import { BundleLockError } from '../../src/bundle/bundle-errors.js';
import { nodeBundleFs } from '../../src/files/bundle-dir/bundle-fs.js';
import { LOCK_FILE, lockBundleDir } from '../../src/files/bundle-dir/bundle-lock.js';
import type { AppBundle } from '../../src/bundle/emit-bundle.js';
import { readBundleDir } from '../../src/files/bundle-dir/read-bundle-dir.js';
import { tempDir } from '../helpers/cli.js';
import { readTree } from '../helpers/tree.js';

const HOST = hostname();

/** The pid of a process that ran and is gone. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  expect(() => process.kill(pid, 0)).toThrow();
  return pid;
}

const app = (text: string): AppBundle => ({
  app: 'a',
  files: [{ path: 'a/x.yaml', text }],
  plan: { path: 'a.plan.json', text: '{}\n' },
  planDocument: {} as AppBundle['planDocument'],
});

function lockError(run: () => unknown): BundleLockError {
  try {
    run();
  } catch (err) {
    if (err instanceof BundleLockError) return err;
    throw err;
  }
  throw new Error('expected a BundleLockError');
}

describe('the bundle directory lock', () => {
  it('is held while writing, and gone afterwards', () => {
    const dir = tempDir();
    const lock = lockBundleDir(nodeBundleFs, dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid} ${HOST}\n`);
    lock.release();
    writeBundleDir(dir, [app('a\n')]);
    expect(readdirSync(dir).sort()).toEqual(['.kubemin-bundle.json', 'a', 'a.plan.json']);
  });

  it('a live holder: a render fails at once naming its pid, and nothing changes; so does a read', async () => {
    const dir = tempDir();
    writeBundleDir(dir, [app('a\n')]);
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid} ${HOST}\n`);
    const before = readTree(dir);
    const err = lockError(() => writeBundleDir(dir, [app('b\n')]));
    expect(err.message).toBe(
      `cannot lock ${dir}/${LOCK_FILE}: another kubemin process (pid ${process.ppid}) is writing or reading this bundle directory. ` +
        `Wait for it to finish and run again; if no kubemin is running there, delete ${dir}/${LOCK_FILE}.`,
    );
    expect(readTree(dir)).toEqual(before);
    await expect(readBundleDir(dir)).rejects.toThrow(BundleLockError);
  });

  it('a holder on another host cannot be checked: it is respected', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), `${deadPid()} build-7\n`);
    expect(lockError(() => lockBundleDir(nodeBundleFs, dir)).message).toContain('a kubemin process on host build-7 (pid ');
  });

  it("a lock file that is not kubemin's is not taken over", () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), 'mine\n');
    expect(lockError(() => lockBundleDir(nodeBundleFs, dir)).message).toContain('the file exists but is not a kubemin lock');
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe('mine\n');
  });

  it('a stale lock (its process is gone, or had our pid in a previous life) is taken over', () => {
    for (const pid of [deadPid(), process.pid]) {
      const dir = tempDir();
      writeFileSync(join(dir, LOCK_FILE), `${pid} ${HOST}\n`);
      writeBundleDir(dir, [app('a\n')]);
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
      expect(readTree(dir).get('a/x.yaml')).toBe('a\n');
    }
  });

  it('leftovers of processes killed while taking or breaking the lock are cleared, those of live ones kept', () => {
    const dir = tempDir();
    const dead = deadPid();
    writeFileSync(join(dir, LOCK_FILE), `${dead} ${HOST}\n`);
    writeFileSync(join(dir, `${LOCK_FILE}.break`), `${dead} ${HOST}\n`);
    writeFileSync(join(dir, `${LOCK_FILE}.${dead}.tmp`), '');
    writeFileSync(join(dir, `${LOCK_FILE}.${process.ppid}.tmp`), `${process.ppid} ${HOST}\n`);
    lockBundleDir(nodeBundleFs, dir).release();
    expect(readdirSync(dir)).toEqual([`${LOCK_FILE}.${process.ppid}.tmp`]);
  });

  it('two operations of one process on one directory: the second fails, the first keeps its lock', () => {
    const dir = tempDir();
    const first = lockBundleDir(nodeBundleFs, dir);
    expect(lockError(() => lockBundleDir(nodeBundleFs, dir)).message).toContain(`another operation of this kubemin process (pid ${process.pid})`);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid} ${HOST}\n`);
    first.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockBundleDir(nodeBundleFs, dir).release();
  });

  it('is released only by its holder', () => {
    const dir = tempDir();
    const lock = lockBundleDir(nodeBundleFs, dir);
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid} ${HOST}\n`);
    lock.release();
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.ppid} ${HOST}\n`);
  });
});
