import { appKey, type AppIdentity } from '../environments/app-key.js';

/**
 * Where an application's files go in a bundle directory. An app without environments is always at
 * `DIR/<app>/` with `DIR/<app>.plan.json`. An environment's variant is at `DIR/<env>/<app>/` with
 * `DIR/<env>/<app>.plan.json` when every environment is rendered (`by-environment`), and at
 * `DIR/<app>/` like an app without environments when one environment is (`one-environment`,
 * `render --env NAME`): a per-environment CI job or rendered branch looks the same as before.
 */
export type BundleLayout = 'by-environment' | 'one-environment';

/** The layout of `render --out DIR [--env NAME]`. */
export function layoutFor(env: string | undefined): BundleLayout {
  return env === undefined ? 'by-environment' : 'one-environment';
}

/**
 * The app's key in a bundle directory: `<app>` or `<env>/<app>`. It names `DIR/<key>/` and
 * `DIR/<key>.plan.json`, and the app's entry in `.kubemin-bundle.json`.
 */
export function bundleKey(app: AppIdentity, layout: BundleLayout): string {
  switch (layout) {
    case 'by-environment':
      return appKey(app);
    case 'one-environment':
      return app.name;
    default: {
      const never: never = layout;
      throw new Error(`unknown layout ${String(never)}`);
    }
  }
}

/** The environment directory of a key (`staging` of `staging/books`), if it has one. */
export function environmentDirOf(key: string): string | undefined {
  const slash = key.indexOf('/');
  return slash < 0 ? undefined : key.slice(0, slash);
}

/** The app a key is of: `books` of `staging/books` and of `books`. */
export function appNameOf(key: string): string {
  return key.slice(key.indexOf('/') + 1);
}

/** For messages: `app "books"`, or `app "books" (environment "staging")` for `staging/books`. */
export function describeKey(key: string): string {
  const env = environmentDirOf(key);
  return env === undefined ? `app "${key}"` : `app "${key.slice(env.length + 1)}" (environment "${env}")`;
}
