import { join } from 'node:path';
import { BundleDirError } from '../../bundle/bundle-errors.js';
import { errnoCode, removeTree, type BundleFs } from './bundle-fs.js';
import { environmentDirOf } from '../../bundle/bundle-layout.js';
import { isAppKey, MANIFEST_FILE, PLAN_SUFFIX } from '../../bundle/bundle-manifest.js';

/**
 * One change of a bundle directory, all or nothing, also against a kill -9:
 *
 * 1. every new file is written under `DIR/.kubemin-staging/new/`;
 * 2. `DIR/.kubemin-staging/journal.json` is written (temporary file, fsync, rename): the commit point;
 * 3. the journal's entries are carried out, renames only: each changed name of DIR (an app
 *    directory, a plan, the manifest; an environment's variant `<env>/<app>` and its plan) moves
 *    to `.kubemin-staging/old/` and the new one takes its place; an environment's directory is made
 *    when missing and removed when left empty;
 * 4. the journal is deleted, then the staging directory with the old copies.
 *
 * Whoever takes the directory's lock next first recovers (`recoverBundleDir`): a journal is carried
 * out again (each entry checks what is already done), staging without a journal is deleted. So the
 * directory is the old one until the commit point and the new one after it, once recovered.
 */

export const STAGING_DIR = '.kubemin-staging';
const JOURNAL = 'journal.json';

/** A name of DIR (top-level, or `<env>/<app>[.plan.json]`), replaced by the staged one (`put`) or deleted. */
export interface JournalEntry {
  readonly name: string;
  readonly put: boolean;
}

export interface BundleChange {
  /** Paths relative to DIR (`<app>/...`, `<app>.plan.json`, the manifest). */
  readonly files: ReadonlyArray<{ readonly path: string; readonly text: string }>;
  readonly entries: readonly JournalEntry[];
}

export type Recovery = 'clean' | 'rolled-back' | 'rolled-forward';

function isEntryName(name: string): boolean {
  if (name === MANIFEST_FILE) return true;
  return isAppKey(name.endsWith(PLAN_SUFFIX) ? name.slice(0, -PLAN_SUFFIX.length) : name);
}

/** A failure after the commit point: the directory is mid-swap until the next command completes it. */
function interrupted(dir: string, err: unknown, what: string): BundleDirError {
  const e = err as NodeJS.ErrnoException;
  const cause = e?.code ? `${e.code}${e.path ? ` on ${e.path}` : ''}` : String(e?.message ?? err);
  return new BundleDirError(`${dir}: ${what} (${cause}). Fix the cause; the next kubemin command on ${dir} completes it.`, { cause: err });
}

/** Writes the staged files, commits the journal and swaps the entries in. */
export function commitBundleChange(fs: BundleFs, dir: string, change: BundleChange): void {
  const staging = join(dir, STAGING_DIR);
  const journal = join(staging, JOURNAL);
  try {
    stage(fs, staging, change.files);
    fs.mkdir(join(staging, 'old'));
    fs.write(`${journal}.tmp`, `${JSON.stringify({ kind: 'BundleJournal', entries: change.entries })}\n`);
    fs.syncFile(`${journal}.tmp`);
    fs.rename(`${journal}.tmp`, journal);
  } catch (err) {
    // Before the commit point: nothing of DIR changed. The file-system error says what and where.
    try {
      removeTree(fs, staging);
    } catch {
      // the next command deletes what is left: there is no journal
    }
    throw err;
  }
  try {
    fs.syncDir(staging);
    finish(fs, dir, change.entries);
  } catch (err) {
    throw interrupted(dir, err, 'the render was committed but could not be completed');
  }
}

function stage(fs: BundleFs, staging: string, files: BundleChange['files']): void {
  fs.mkdir(staging);
  const root = join(staging, 'new');
  fs.mkdir(root);
  const made = new Set<string>([root]);
  for (const f of files) {
    const parts = f.path.split('/');
    let parent = root;
    for (const part of parts.slice(0, -1)) {
      parent = join(parent, part);
      if (!made.has(parent)) {
        fs.mkdir(parent);
        made.add(parent);
      }
    }
    fs.write(join(root, f.path), f.text);
  }
  // The files themselves are not fsynced (as git does not by default): it made a fresh render of a
  // thousand apps ten times slower on a busy disk, and a kill does not need it. After a power loss
  // a file may be empty; the record then no longer matches it and the next render names it.
  fs.syncDir(staging);
}

/**
 * Carries out the entries (again: each one checks whether it is done), removes the environment
 * directories left empty, then drops the journal and the old copies.
 */
function finish(fs: BundleFs, dir: string, entries: readonly JournalEntry[]): void {
  const staging = join(dir, STAGING_DIR);
  for (const e of entries) carryOut(fs, dir, staging, e);
  for (const env of new Set(entries.flatMap((e) => environmentDirOf(e.name) ?? []))) {
    const path = join(dir, env);
    if (fs.kind(path) === 'dir' && !fs.list(path).length) fs.rmdir(path);
  }
  fs.syncDir(dir);
  fs.unlink(join(staging, JOURNAL));
  removeTree(fs, staging);
}

function carryOut(fs: BundleFs, dir: string, staging: string, e: JournalEntry): void {
  const live = join(dir, e.name);
  const staged = join(staging, 'new', e.name);
  const old = join(staging, 'old', e.name);
  const stagedKind = e.put ? fs.kind(staged) : undefined;
  if (e.put && stagedKind === undefined) return; // done: the staged one is in place
  const liveKind = fs.kind(live);
  // A file is replaced by a rename over it; a directory has to move aside first.
  if (liveKind !== undefined && (!e.put || liveKind !== 'file' || stagedKind !== 'file')) {
    removeTree(fs, old);
    makeParent(fs, join(staging, 'old'), e.name);
    fs.rename(live, old);
  }
  if (e.put) {
    makeParent(fs, dir, e.name);
    fs.rename(staged, live);
  }
}

/** For an entry of an environment's variant (`<env>/<app>`), its environment's directory under `root`. */
function makeParent(fs: BundleFs, root: string, name: string): void {
  const env = environmentDirOf(name);
  if (env !== undefined && fs.kind(join(root, env)) === undefined) fs.mkdir(join(root, env));
}

function parseJournal(text: string, shown: string): JournalEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined;
  }
  const entries = (doc as { kind?: unknown; entries?: unknown } | undefined)?.entries;
  const valid =
    (doc as { kind?: unknown } | undefined)?.kind === 'BundleJournal' &&
    Array.isArray(entries) &&
    entries.every((e: { name?: unknown; put?: unknown }) => typeof e?.name === 'string' && isEntryName(e.name) && typeof e.put === 'boolean');
  if (!valid)
    throw new BundleDirError(`${shown}: not a kubemin journal; delete ${shown.slice(0, -JOURNAL.length - 1)} (kubemin's staging directory) and render again`);
  return entries as JournalEntry[];
}

/**
 * Completes or undoes a change that a killed process left (call it holding the lock): a committed
 * journal is carried out, staging without one is deleted.
 */
export function recoverBundleDir(fs: BundleFs, dir: string): Recovery {
  const staging = join(dir, STAGING_DIR);
  const kind = fs.kind(staging);
  if (kind === undefined) return 'clean';
  const journal = join(staging, JOURNAL);
  try {
    if (kind === 'dir' && fs.kind(journal) === 'file') {
      finish(fs, dir, parseJournal(fs.read(journal).toString('utf8'), journal));
      return 'rolled-forward';
    }
    removeTree(fs, staging);
    return 'rolled-back';
  } catch (err) {
    if (err instanceof BundleDirError || errnoCode(err) === undefined) throw err;
    throw interrupted(dir, err, 'an interrupted render could not be completed or undone');
  }
}
