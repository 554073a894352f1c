import { dirname, join } from 'node:path';
import { adoptPlannedApps, foreignEntries, isEmpty, readAppFiles } from './app-files.js';
import { BundleDirError, BundleOwnershipError, OutDirError, type ForeignEntry } from '../../bundle/bundle-errors.js';
import { errnoCode, nodeBundleFs, type BundleFs } from './bundle-fs.js';
import { appNameOf, describeKey, environmentDirOf } from '../../bundle/bundle-layout.js';
import type { LockOptions } from './bundle-lock.js';
import { fileDigest, MANIFEST_FILE, manifestText, parseManifest, PLAN_SUFFIX, type BundleManifest } from '../../bundle/bundle-manifest.js';
import { openBundleDir } from './bundle-session.js';
import { commitBundleChange, type JournalEntry } from './bundle-transaction.js';
import type { AppBundle } from '../../bundle/emit-bundle.js';

/**
 * The bundle directory on disk (the file-system edge of rendering). `DIR` holds, per app,
 * `<app>/` and `<app>.plan.json` (for an environment's variant `<env>/<app>/` and
 * `<env>/<app>.plan.json`, see bundle-layout.ts), and `.kubemin-bundle.json`, the record of what kubemin wrote.
 * kubemin replaces or deletes an app only while its files are the ones recorded there; anything
 * else in DIR is never touched. Every change is one transaction (bundle-transaction.ts) under the
 * directory's lock (bundle-lock.ts).
 */

export interface BundleDirOptions {
  /** Leave apps that are not being rendered alone (rendering a single app, all of whose entries are replaced). */
  readonly keepOtherApps?: boolean;
  /** The file system (a test wraps it to count calls or kill the process between them). */
  readonly fs?: BundleFs;
  readonly lock?: LockOptions;
}

type FileChange = 'added' | 'changed' | 'removed';

export interface BundleDirDiff {
  /** Relative paths under DIR, sorted. */
  readonly changes: ReadonlyArray<{ readonly path: string; readonly change: FileChange }>;
  /** Apps whose files differ (including apps to remove), sorted. */
  readonly apps: readonly string[];
  /** What rendering would have to replace or delete but may not (kubemin did not write it): empty when it can. */
  readonly foreign: readonly ForeignEntry[];
}

interface BundleDirPlan {
  readonly diff: BundleDirDiff;
  readonly put: readonly AppBundle[];
  readonly remove: readonly string[];
  readonly manifest: BundleManifest;
}

const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** The record of DIR: its manifest, or for a bundle written before there was one, the apps it can prove it wrote. */
function previousRender(fs: BundleFs, dir: string): { manifest: BundleManifest; text?: string } {
  const path = join(dir, MANIFEST_FILE);
  if (fs.kind(path) === undefined) return { manifest: adoptPlannedApps(fs, dir) };
  const text = fs.read(path).toString('utf8');
  return { manifest: parseManifest(text, path), text };
}

function planBundleDir(fs: BundleFs, dir: string, bundles: readonly AppBundle[], opts: BundleDirOptions): BundleDirPlan & { manifestOnDisk?: string } {
  const previous = previousRender(fs, dir);
  const changes: Array<{ path: string; change: FileChange }> = [];
  const foreign: ForeignEntry[] = [];
  const put: AppBundle[] = [];
  const remove: string[] = [];
  const manifest = new Map<string, ReadonlyMap<string, string>>();
  const rendered = new Set(bundles.map((b) => b.app));
  for (const b of bundles) {
    const want = new Map([...b.files, b.plan].map((f) => [f.path, fileDigest(f.text)]));
    const onDisk = readAppFiles(fs, dir, b.app);
    const before = changes.length;
    for (const [path, digest] of want) {
      const have = onDisk.files.get(path);
      if (have === undefined) changes.push({ path, change: 'added' });
      else if (have !== digest) changes.push({ path, change: 'changed' });
    }
    for (const path of onDisk.files.keys()) if (!want.has(path)) changes.push({ path, change: 'removed' });
    for (const path of onDisk.strays) changes.push({ path, change: 'removed' });
    manifest.set(b.app, want);
    if (changes.length === before) continue;
    put.push(b);
    foreign.push(...foreignEntries(b.app, onDisk, previous.manifest.get(b.app)));
  }
  // With --app, the app's entries of another layout or environment are replaced too: only other apps are kept.
  const renderedApps = new Set(bundles.map((b) => appNameOf(b.app)));
  for (const [app, listed] of previous.manifest) {
    if (rendered.has(app)) continue;
    if (opts.keepOtherApps && !renderedApps.has(appNameOf(app))) {
      manifest.set(app, listed);
      continue;
    }
    const onDisk = readAppFiles(fs, dir, app);
    if (isEmpty(onDisk)) continue;
    remove.push(app);
    for (const path of [...onDisk.files.keys(), ...onDisk.strays]) changes.push({ path, change: 'removed' });
    foreign.push(...foreignEntries(app, onDisk, listed));
  }
  refuseNestedApps(dir, [...manifest.keys(), ...remove], rendered);
  const apps = [...put.map((b) => b.app), ...remove].sort();
  const diff = { changes: changes.sort(byPath), apps, foreign: foreign.sort(byPath) };
  return { diff, put, remove, manifest, ...(previous.text !== undefined ? { manifestOnDisk: previous.text } : {}) };
}

/**
 * An app and an environment of the same name cannot share `DIR/<name>/` (the compiler refuses them
 * in one render; this is one render after another, or `--app` keeping the other): the swap could
 * not replace one without the other.
 */
function refuseNestedApps(dir: string, keys: readonly string[], rendered: ReadonlySet<string>): void {
  const all = new Set(keys);
  for (const key of all) {
    const env = environmentDirOf(key);
    if (env === undefined || !all.has(env)) continue;
    const [earlier, now] = rendered.has(env) ? [key, env] : [env, key];
    const root = dir.replace(/\/+$/, '');
    throw new BundleDirError(
      `cannot render into ${dir}: ${root}/${env}/ would hold ${describeKey(now)} and ${describeKey(earlier)}, which an earlier render wrote there. ` +
        `Delete ${root}/${env}/${earlier === env ? ` and ${root}/${env}${PLAN_SUFFIX}` : ''} first, or render into another directory. Nothing was changed.`,
    );
  }
}

function notADirectory(dir: string): OutDirError {
  return new OutDirError(`${dir} is a file: the bundle goes into a directory (it is created when missing); remove the file or choose another path`);
}

/** What writing `bundles` would change in `dir`, including apps kubemin rendered before that are gone now. Writes nothing but the lock (and completes an interrupted render). */
export function diffBundleDir(dir: string, bundles: readonly AppBundle[], opts: BundleDirOptions = {}): BundleDirDiff {
  const fs = opts.fs ?? nodeBundleFs;
  const kind = fs.kind(dir, { follow: true });
  if (kind === undefined) {
    const changes = bundles.flatMap((b) => [...b.files, b.plan].map((f) => ({ path: f.path, change: 'added' as const })));
    return { changes: changes.sort(byPath), apps: bundles.map((b) => b.app).sort(), foreign: [] };
  }
  if (kind !== 'dir') throw notADirectory(dir);
  const session = openBundleDir(fs, dir, 'read', opts.lock);
  try {
    return planBundleDir(fs, dir, bundles, opts).diff;
  } finally {
    session.release();
  }
}

/** `mkdir -p`, one call per missing directory. */
function makeDir(fs: BundleFs, dir: string): void {
  const kind = fs.kind(dir, { follow: true });
  if (kind === 'dir') return;
  if (kind !== undefined) throw notADirectory(dir);
  const parent = dirname(dir);
  if (parent !== dir) makeDir(fs, parent);
  try {
    fs.mkdir(dir);
  } catch (err) {
    if (errnoCode(err) !== 'EEXIST') throw err;
  }
}

/**
 * Writes the bundles into `dir` as one transaction: afterwards (or after a kill, once the next
 * kubemin command has recovered) `dir` is entirely the old bundle or entirely the new one. Apps
 * rendered before but absent now are removed. Throws a BundleOwnershipError, changing nothing,
 * when it would have to replace or delete something kubemin did not write; a BundleLockError when
 * another process holds the directory; a file-system error as it is (no space, read-only), having
 * changed nothing.
 */
export function writeBundleDir(dir: string, bundles: readonly AppBundle[], opts: BundleDirOptions = {}): BundleDirDiff {
  const fs = opts.fs ?? nodeBundleFs;
  makeDir(fs, dir);
  const session = openBundleDir(fs, dir, 'write', opts.lock);
  try {
    const plan = planBundleDir(fs, dir, bundles, opts);
    if (plan.diff.foreign.length) throw new BundleOwnershipError(dir, plan.diff.foreign);
    const manifest = manifestText(plan.manifest);
    if (!plan.put.length && !plan.remove.length && manifest === plan.manifestOnDisk) return plan.diff;
    const entries: JournalEntry[] = [];
    for (const b of plan.put) entries.push({ name: b.app, put: b.files.length > 0 }, { name: `${b.app}${PLAN_SUFFIX}`, put: true });
    for (const app of plan.remove) entries.push({ name: app, put: false }, { name: `${app}${PLAN_SUFFIX}`, put: false });
    entries.push({ name: MANIFEST_FILE, put: true });
    const files = [...plan.put.flatMap((b) => [...b.files, b.plan]), { path: MANIFEST_FILE, text: manifest }];
    commitBundleChange(fs, dir, { files, entries });
    return plan.diff;
  } finally {
    session.release();
  }
}
