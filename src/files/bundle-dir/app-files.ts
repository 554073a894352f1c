import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ForeignEntry } from '../../bundle/bundle-errors.js';
import type { BundleFs } from './bundle-fs.js';
import { environmentDirOf } from '../../bundle/bundle-layout.js';
import { fileDigest, isAppName, isAppPath, PLAN_SUFFIX, type BundleManifest } from '../../bundle/bundle-manifest.js';
import type { PlanDocument } from '../../bundle/emit-bundle.js';

/** What a bundle directory holds under one app's names: `<app>/` and `<app>.plan.json` (the app's key may be `<env>/<app>`). */
export interface AppFiles {
  /** Regular files, by path relative to DIR, with their digest. */
  readonly files: ReadonlyMap<string, string>;
  /** What is not a regular file or a directory (a link, a device), relative to DIR. */
  readonly strays: readonly string[];
  /** The names present: `<app>/` (or `<app>` when not a directory) and `<app>.plan.json`; or `<env>` when that is not a directory. */
  readonly top: readonly string[];
}

/**
 * What `DIR` holds under the names of the app with key `app` (`<app>` or `<env>/<app>`). Under an
 * environment's directory, that directory must be one: a link (which could lead anywhere), a file
 * or a device there is a stray, and nothing under it is read.
 */
export function readAppFiles(fs: BundleFs, dir: string, app: string): AppFiles {
  const files = new Map<string, string>();
  const strays: string[] = [];
  const top: string[] = [];
  const env = environmentDirOf(app);
  const envKind = env === undefined ? 'dir' : fs.kind(join(dir, env));
  if (envKind === undefined) return { files, strays, top };
  if (envKind !== 'dir') return { files, strays: [env!], top: [env!] };
  const plan = `${app}${PLAN_SUFFIX}`;
  const planKind = fs.kind(join(dir, plan));
  if (planKind !== undefined) top.push(plan);
  if (planKind === 'file') files.set(plan, fileDigest(fs.read(join(dir, plan))));
  else if (planKind !== undefined) strays.push(planKind === 'dir' ? `${plan}/` : plan);
  const walk = (rel: string): void => {
    for (const e of fs.list(join(dir, rel))) {
      const path = `${rel}/${e.name}`;
      if (e.kind === 'dir') walk(path);
      else if (e.kind === 'file') files.set(path, fileDigest(fs.read(join(dir, path))));
      else strays.push(path);
    }
  };
  const rootKind = fs.kind(join(dir, app));
  if (rootKind === 'dir') {
    top.unshift(`${app}/`);
    walk(app);
  } else if (rootKind !== undefined) {
    top.unshift(app);
    strays.push(app);
  }
  return { files, strays, top };
}

export function isEmpty(a: AppFiles): boolean {
  return a.top.length === 0;
}

/**
 * What of `onDisk` kubemin may not replace or delete: all of it when `listed` (its record of the
 * app) is missing; else files it did not write, files changed since, and what is not a file.
 * Files it wrote that are gone are no loss.
 */
export function foreignEntries(app: string, onDisk: AppFiles, listed: ReadonlyMap<string, string> | undefined): ForeignEntry[] {
  if (isEmpty(onDisk)) return [];
  // An environment's directory that is not one is never kubemin's, listed or not.
  if (!listed) return onDisk.top.map((path) => ({ app, path, reason: path === environmentDirOf(app) ? 'not-a-file' : 'not-listed' }));
  const out: ForeignEntry[] = [];
  for (const [path, digest] of onDisk.files) {
    const want = listed.get(path);
    if (want === undefined) out.push({ app, path, reason: 'not-written' });
    else if (want !== digest) out.push({ app, path, reason: 'changed' });
  }
  for (const path of onDisk.strays) out.push({ app, path, reason: 'not-a-file' });
  return out;
}

/**
 * A bundle written before kubemin kept a manifest: its apps are those whose `<app>.plan.json`
 * lists exactly the files of `<app>/`, with the plan's digest (as emitApp computes it) matching them.
 * Anything else is not adopted, so never replaced or deleted.
 */
export function adoptPlannedApps(fs: BundleFs, dir: string): BundleManifest {
  const adopted = new Map<string, ReadonlyMap<string, string>>();
  for (const e of fs.list(dir)) {
    if (e.kind !== 'file' || !e.name.endsWith(PLAN_SUFFIX)) continue;
    const app = e.name.slice(0, -PLAN_SUFFIX.length);
    if (!isAppName(app)) continue;
    const onDisk = readAppFiles(fs, dir, app);
    if (onDisk.strays.length) continue;
    const listed = plannedFiles(fs, dir, app);
    if (!listed || listed.length !== onDisk.files.size - 1 || !listed.every((f) => onDisk.files.has(f.path))) continue;
    const digest = createHash('sha256');
    for (const f of listed)
      digest
        .update(f.path)
        .update('\0')
        .update(fs.read(join(dir, f.path)))
        .update('\0');
    if (`sha256:${digest.digest('hex')}` === listed.digest) adopted.set(app, onDisk.files);
  }
  return adopted;
}

/** The object files a plan names, in its order, with its digest; undefined when it is not a plan of `app`. */
function plannedFiles(fs: BundleFs, dir: string, app: string): (Array<{ path: string }> & { digest: string }) | undefined {
  let plan: PlanDocument;
  try {
    plan = JSON.parse(fs.read(join(dir, `${app}${PLAN_SUFFIX}`)).toString('utf8')) as PlanDocument;
  } catch {
    return undefined;
  }
  if (plan?.kind !== 'Plan' || plan.app !== app || typeof plan.digest !== 'string' || !Array.isArray(plan.phases)) return undefined;
  const files: Array<{ path: string }> = [];
  for (const phase of plan.phases) {
    if (!Array.isArray(phase?.objects)) return undefined;
    for (const o of phase.objects) {
      if (typeof o?.file !== 'string' || !isAppPath(app, o.file) || o.file === `${app}${PLAN_SUFFIX}`) return undefined;
      files.push({ path: o.file });
    }
  }
  if (new Set(files.map((f) => f.path)).size !== files.length) return undefined;
  return Object.assign(files, { digest: plan.digest });
}
