import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppBundle } from './emit-bundle.js';

/**
 * The bundle directory on disk (the file-system edge of rendering). `DIR` holds, per app,
 * `<app>/` and `<app>.plan.json`; an app whose plan file is there is kubemin's to replace or remove.
 * Other files in DIR are never touched. Synchronous on purpose: thousands of small files are
 * written several times faster with sync calls than through promises, and nothing else runs
 * meanwhile in a CLI.
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
  /** Apps whose files differ (including apps to remove), sorted. */
  readonly apps: readonly string[];
}

/** What writing `bundles` would change in `dir`, including apps kubemin rendered before that are gone now. */
export function diffBundleDir(dir: string, bundles: readonly AppBundle[], opts: BundleDirOptions = {}): BundleDirDiff {
  const changes: Array<{ path: string; change: FileChange }> = [];
  const apps: string[] = [];
  const wanted = new Set(bundles.map((b) => b.app));
  for (const b of bundles) {
    const before = changes.length;
    const have = readApp(dir, b.app);
    const want = [...b.files, b.plan];
    for (const f of want) {
      const old = have.get(f.path);
      if (old === undefined) changes.push({ path: f.path, change: 'added' });
      else if (old !== f.text) changes.push({ path: f.path, change: 'changed' });
    }
    const wantPaths = new Set(want.map((f) => f.path));
    for (const path of have.keys()) if (!wantPaths.has(path)) changes.push({ path, change: 'removed' });
    if (changes.length > before) apps.push(b.app);
  }
  for (const app of opts.keepOtherApps ? [] : renderedApps(dir)) {
    if (wanted.has(app)) continue;
    apps.push(app);
    for (const path of readApp(dir, app).keys()) changes.push({ path, change: 'removed' });
  }
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { changes, apps: apps.sort() };
}

/**
 * Writes the bundles into `dir` so that a failure leaves `dir` as it was: every file of a changed
 * app is written into a staging directory first, then each changed app is swapped in by rename,
 * and a swap that fails is rolled back. Apps rendered before but absent now are removed.
 */
export function writeBundleDir(dir: string, bundles: readonly AppBundle[], opts: BundleDirOptions = {}): BundleDirDiff {
  mkdirSync(dir, { recursive: true });
  const diff = diffBundleDir(dir, bundles, opts);
  if (!diff.apps.length) return diff;
  const staging = join(dir, STAGING);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'old'), { recursive: true });
  const changed = new Set(diff.apps);
  try {
    const made = new Set<string>();
    for (const b of bundles) {
      if (!changed.has(b.app)) continue;
      for (const f of [...b.files, b.plan]) {
        const slash = f.path.lastIndexOf('/');
        const parent = join(staging, 'new', slash === -1 ? '' : f.path.slice(0, slash));
        if (!made.has(parent)) {
          mkdirSync(parent, { recursive: true });
          made.add(parent);
        }
        writeFileSync(join(staging, 'new', f.path), f.text);
      }
    }
    swap(dir, staging, diff.apps, new Set(bundles.map((b) => b.app)));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return diff;
}

function swap(dir: string, staging: string, apps: readonly string[], present: ReadonlySet<string>): void {
  const undo: Array<() => void> = [];
  try {
    for (const app of apps) {
      for (const name of [app, `${app}${PLAN_SUFFIX}`]) {
        const live = join(dir, name);
        const old = join(staging, 'old', name);
        if (existsSync(live)) {
          renameSync(live, old);
          undo.push(() => renameSync(old, live));
        }
        if (present.has(app)) {
          renameSync(join(staging, 'new', name), live);
          undo.push(() => rmSync(live, { recursive: true, force: true }));
        }
      }
    }
  } catch (err) {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // keep undoing the rest
      }
    }
    throw err;
  }
}

/** Apps kubemin rendered into `dir` before: those with a plan file. */
function renderedApps(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((e) => e.endsWith(PLAN_SUFFIX))
    .map((e) => e.slice(0, -PLAN_SUFFIX.length));
}

/** The files of one rendered app (its directory and plan), by path relative to `dir`. */
function readApp(dir: string, app: string): Map<string, string> {
  const out = new Map<string, string>();
  const plan = join(dir, `${app}${PLAN_SUFFIX}`);
  if (existsSync(plan)) out.set(`${app}${PLAN_SUFFIX}`, readFileSync(plan, 'utf8'));
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (e.isFile()) out.set(path, readFileSync(join(dir, path), 'utf8'));
    }
  };
  if (existsSync(join(dir, app))) walk(app);
  return out;
}
