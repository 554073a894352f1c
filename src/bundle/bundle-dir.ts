import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AppBundle, BundleFile } from './emit-bundle.js';

/**
 * The bundle directory on disk (the file-system edge of rendering). `DIR` holds, per app,
 * `<app>/` and `<app>.plan.json`; an app whose plan file is there is kubemin's to replace or remove.
 * Other files in DIR are never touched.
 */

const PLAN_SUFFIX = '.plan.json';
const STAGING = '.kubemin-staging';

export interface BundleDirOptions {
  /** Leave apps that are not being rendered alone (rendering a single app). */
  readonly keepOtherApps?: boolean;
}

export type FileChange = 'added' | 'changed' | 'removed';

export interface BundleDirDiff {
  /** Relative paths under DIR, sorted. */
  readonly changes: ReadonlyArray<{ readonly path: string; readonly change: FileChange }>;
  /** Apps whose files differ (including apps to remove). */
  readonly apps: readonly string[];
}

/** What writing `bundles` would change in `dir`, including apps kubemin rendered before that are gone now. */
export async function diffBundleDir(dir: string, bundles: readonly AppBundle[], opts: BundleDirOptions = {}): Promise<BundleDirDiff> {
  const changes: Array<{ path: string; change: FileChange }> = [];
  const apps = new Set<string>();
  const wanted = new Set(bundles.map((b) => b.app));
  for (const b of bundles) {
    const want = new Map([...b.files, b.plan].map((f) => [f.path, f.text]));
    const have = await readApp(dir, b.app);
    for (const [path, text] of want) {
      const old = have.get(path);
      if (old === undefined) changes.push({ path, change: 'added' });
      else if (old !== text) changes.push({ path, change: 'changed' });
    }
    for (const path of have.keys()) if (!want.has(path)) changes.push({ path, change: 'removed' });
    if (changes.some((c) => c.path === `${b.app}${PLAN_SUFFIX}` || c.path.startsWith(`${b.app}/`))) apps.add(b.app);
  }
  for (const app of opts.keepOtherApps ? [] : await renderedApps(dir)) {
    if (wanted.has(app)) continue;
    apps.add(app);
    for (const path of (await readApp(dir, app)).keys()) changes.push({ path, change: 'removed' });
  }
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { changes, apps: [...apps].sort() };
}

export interface WriteBundleResult {
  readonly diff: BundleDirDiff;
}

/**
 * Writes the bundles into `dir` so that a failure leaves `dir` as it was: every file is written
 * into a staging directory first, then each changed app directory is swapped in by rename, and
 * any swap that fails is rolled back. Apps rendered before but absent now are removed.
 */
export async function writeBundleDir(dir: string, bundles: readonly AppBundle[], opts: BundleDirOptions = {}): Promise<WriteBundleResult> {
  await mkdir(dir, { recursive: true });
  const diff = await diffBundleDir(dir, bundles, opts);
  if (!diff.apps.length) return { diff };
  const staging = join(dir, STAGING);
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, 'old'), { recursive: true });
  const changed = new Set(diff.apps);
  try {
    for (const b of bundles) {
      if (!changed.has(b.app)) continue;
      for (const f of [...b.files, b.plan]) await writeIn(join(staging, 'new'), f);
    }
    await swap(dir, staging, diff.apps, new Set(bundles.map((b) => b.app)));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { diff };
}

async function swap(dir: string, staging: string, apps: readonly string[], present: ReadonlySet<string>): Promise<void> {
  const done: Array<() => Promise<void>> = [];
  try {
    for (const app of apps) {
      for (const name of [app, `${app}${PLAN_SUFFIX}`]) {
        const live = join(dir, name);
        const old = join(staging, 'old', name);
        if (await exists(live)) {
          await rename(live, old);
          done.push(() => rename(old, live));
        }
        if (present.has(app)) {
          await rename(join(staging, 'new', name), live);
          done.push(() => rm(live, { recursive: true, force: true }));
        }
      }
    }
  } catch (err) {
    for (const undo of done.reverse()) await undo().catch(() => undefined);
    throw err;
  }
}

async function writeIn(root: string, f: BundleFile): Promise<void> {
  const path = join(root, f.path);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, f.text);
}

/** Apps kubemin rendered into `dir` before: those with a plan file. */
async function renderedApps(dir: string): Promise<string[]> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  return entries.filter((e) => e.endsWith(PLAN_SUFFIX)).map((e) => e.slice(0, -PLAN_SUFFIX.length));
}

/** The files of one rendered app (its directory and plan), by path relative to `dir`. */
async function readApp(dir: string, app: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const plan = await readFile(join(dir, `${app}${PLAN_SUFFIX}`), 'utf8').catch(() => undefined);
  if (plan !== undefined) out.set(`${app}${PLAN_SUFFIX}`, plan);
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(dir, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const path = `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(path);
      else if (e.isFile()) out.set(path, await readFile(join(dir, path), 'utf8'));
    }
  };
  await walk(app);
  return out;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
