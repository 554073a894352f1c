import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KubeminError } from '../errors/kubemin-error.js';

/** The file a write would not replace exists (`existing: 'keep'`): nothing was written. */
export class FileExistsError extends KubeminError {
  override readonly name = 'FileExistsError';
  constructor(readonly path: string) {
    super(`${path} exists already: nothing was written`);
  }
}

export interface WriteFileOptions {
  /**
   * What happens to a file of that name: `keep` it (the write fails with FileExistsError, even for
   * a file created meanwhile: the name is taken with link(2), which fails when it exists); or
   * `replace` it (a symbolic link is followed: the file it leads to is replaced, the link stays,
   * and the file keeps its mode).
   */
  readonly existing: 'keep' | 'replace';
  /** The mode of a new file (default 0o644). */
  readonly mode?: number;
}

/**
 * kubemin's one way to write a file: whole or not at all. The text goes to a temporary file beside
 * it (same directory, so that taking the name is atomic), is flushed to disk, then takes the
 * file's name in one step: a reader never sees half a file, and a failure leaves the old one.
 * Missing directories are created.
 */
export async function writeFileAtomically(path: string, text: string, opts: WriteFileOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const real = opts.existing === 'replace' ? await realpath(path).catch(() => path) : path;
  const mode =
    opts.existing === 'replace'
      ? await stat(real).then(
          (s) => s.mode & 0o7777,
          () => undefined,
        )
      : undefined;
  const temp = join(dirname(real), `.${basename(real)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.chmod(mode ?? opts.mode ?? 0o644);
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (opts.existing === 'replace') await rename(temp, real);
    else await linkNew(temp, real);
  } finally {
    await rm(temp, { force: true });
  }
}

/** Gives `temp` the name `path` unless a file has it. */
async function linkNew(temp: string, path: string): Promise<void> {
  try {
    await link(temp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') throw new FileExistsError(path);
    // File systems without hard links: check, then rename (a race is then possible, but unlikely).
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(code)) throw err;
    if (existsSync(path)) throw new FileExistsError(path);
    await rename(temp, path);
  }
}
