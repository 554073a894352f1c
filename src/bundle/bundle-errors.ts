import { KubeminError } from '../errors/kubemin-error.js';
/** A rendered bundle directory cannot be read or written; the message names the path and the fix. */
export class BundleDirError extends KubeminError {
  override readonly name = 'BundleDirError';
}

/** One thing in the bundle directory that kubemin did not write, or that changed since it did. */
export interface ForeignEntry {
  /** Relative to the bundle directory; a directory ends with `/`. */
  readonly path: string;
  readonly reason: 'not-listed' | 'not-written' | 'changed' | 'not-a-file';
  /** The app whose name it has. */
  readonly app: string;
}

const SHOWN = 20;

function describe(dir: string, e: ForeignEntry): string {
  const path = `${dir.replace(/\/+$/, '')}/${e.path}`;
  switch (e.reason) {
    case 'not-listed':
      return `${path} is named like app "${e.app}", but kubemin has no record of writing it`;
    case 'not-written':
      return `${path} was not written by kubemin (in app "${e.app}")`;
    case 'changed':
      return `${path} was changed since kubemin wrote it`;
    case 'not-a-file':
      if (e.app.startsWith(`${e.path}/`))
        return `${path} is where environment "${e.path}" of app "${e.app.slice(e.path.length + 1)}" goes, but it is not a directory (a link, a file or a device)`;
      return `${path} is not a file kubemin writes (a link, a device or an empty directory, in app "${e.app}")`;
    default: {
      const never: never = e.reason;
      throw new Error(`unknown reason ${String(never)}`);
    }
  }
}

/** What the bundle directory holds that rendering would have to replace or delete, and must not. */
export function describeForeign(dir: string, entries: readonly ForeignEntry[]): string[] {
  const lines = entries.slice(0, SHOWN).map((e) => describe(dir, e));
  if (entries.length > SHOWN) lines.push(`... and ${entries.length - SHOWN} more`);
  return lines;
}

/** Rendering would replace or delete something kubemin did not write: nothing was changed. */
export class BundleOwnershipError extends BundleDirError {
  constructor(
    readonly dir: string,
    readonly entries: readonly ForeignEntry[],
  ) {
    super(
      [
        `cannot render into ${dir}: it holds files kubemin did not write where the bundle goes, and kubemin does not replace or delete them:`,
        ...describeForeign(dir, entries).map((l) => `  ${l}`),
        'Move them away (or delete them yourself), or render into another directory. Nothing was changed.',
      ].join('\n'),
    );
  }
}

/** Another kubemin process holds the bundle directory's lock (or the lock file is not kubemin's: `holder` undefined). */
export class BundleLockError extends BundleDirError {
  constructor(
    readonly lockFile: string,
    readonly holder: string | undefined,
  ) {
    super(
      holder === undefined
        ? `cannot lock ${lockFile}: the file exists but is not a kubemin lock. Delete it if no kubemin is running there, and run again.`
        : `cannot lock ${lockFile}: ${holder} is writing or reading this bundle directory. ` +
            `Wait for it to finish and run again; if no kubemin is running there, delete ${lockFile}.`,
    );
  }
}

/** `--out` would write where the specs or the plugin configuration being rendered are. */
export class OutDirError extends BundleDirError {}
