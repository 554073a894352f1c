import { createHash } from 'node:crypto';
import { API_VERSION } from '../spec/types.js';
import { BundleDirError } from './bundle-errors.js';

/**
 * `DIR/.kubemin-bundle.json`: what kubemin wrote into a bundle directory, per app each file with
 * its SHA-256. kubemin replaces or deletes an app's files only while they are exactly these.
 * Deterministic: apps and files sorted, no timestamps.
 */

export const MANIFEST_FILE = '.kubemin-bundle.json';
export const PLAN_SUFFIX = '.plan.json';

/** App key (`<app>` or `<env>/<app>`) -> path relative to DIR -> `sha256:<hex>`. */
export type BundleManifest = ReadonlyMap<string, ReadonlyMap<string, string>>;

const APP_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function fileDigest(data: string | Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Whether `name` can be an app of a bundle directory (an RFC 1123 label, as metadata.name). */
export function isAppName(name: string): boolean {
  return name.length <= 63 && APP_NAME.test(name);
}

/** Whether `key` can name an app of a bundle directory: `<app>`, or `<env>/<app>` for an environment's variant (bundle-layout.ts). */
export function isAppKey(key: string): boolean {
  const parts = key.split('/');
  return parts.length <= 2 && parts.every(isAppName);
}

/** Whether `path` is a file of the app with key `app`: its plan, or a plain relative path under `<app>/`. */
export function isAppPath(app: string, path: string): boolean {
  if (path === `${app}${PLAN_SUFFIX}`) return true;
  if (!path.startsWith(`${app}/`)) return false;
  return path
    .slice(app.length + 1)
    .split('/')
    .every((part) => part !== '' && part !== '.' && part !== '..' && !part.includes('\\') && !part.includes('\0'));
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function manifestText(manifest: BundleManifest): string {
  const apps: Record<string, Record<string, string>> = {};
  for (const app of [...manifest.keys()].sort(byName)) {
    const files = manifest.get(app)!;
    apps[app] = Object.fromEntries([...files.keys()].sort(byName).map((p) => [p, files.get(p)!]));
  }
  const doc = {
    apiVersion: API_VERSION,
    kind: 'BundleManifest',
    note: 'Written by kubemin render: the files it wrote here, with their SHA-256. It replaces or deletes only these, and only while they are unchanged.',
    apps,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Reads a manifest; one that is not kubemin's (or names paths outside its apps) is an error naming it. */
export function parseManifest(text: string, shownPath: string): BundleManifest {
  const fail = (why: string): never => {
    throw new BundleDirError(
      `${shownPath}: not a kubemin bundle manifest (${why}). Delete it if kubemin did not write it: kubemin then adopts the apps whose plan digest matches their files.`,
    );
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return fail((err as Error).message);
  }
  const record = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!record(doc) || doc.kind !== 'BundleManifest' || !record(doc.apps)) return fail('kind BundleManifest with apps');
  const out = new Map<string, Map<string, string>>();
  for (const [app, files] of Object.entries(doc.apps)) {
    if (!isAppKey(app)) fail(`"${app}" is not an app name (or <environment>/<app>)`);
    if (!record(files)) return fail(`app "${app}" has no files`);
    const map = new Map<string, string>();
    for (const [path, digest] of Object.entries(files)) {
      if (!isAppPath(app, path)) fail(`"${path}" is not a file of app "${app}"`);
      if (typeof digest !== 'string' || !DIGEST.test(digest)) fail(`"${path}" has no sha256 digest`);
      map.set(path, digest as string);
    }
    out.set(app, map);
  }
  return out;
}
