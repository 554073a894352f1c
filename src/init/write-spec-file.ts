/**
 * Writes a new spec file atomically: the text goes to a temporary file beside it, which then takes
 * the file's name in one step, so a reader never sees half a file. Without `force` an existing
 * file is never replaced, not even one created meanwhile: the name is taken with link(2), which
 * fails when it exists.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../user-error.js';

export class SpecFileExistsError extends UserError {
  override readonly name = 'SpecFileExistsError';
  constructor(readonly path: string) {
    super(`${path} exists already: nothing was written (--force replaces it)`);
  }
}

export interface WriteSpecFileOptions {
  /** Replace an existing file. */
  readonly force: boolean;
}

export async function writeSpecFile(path: string, text: string, opts: WriteSpecFileOptions): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(tmp, text, { flag: 'wx', mode: 0o644 });
  try {
    if (opts.force) {
      await rename(tmp, path);
      return;
    }
    try {
      await link(tmp, path);
    } catch (err) {
      if (code(err) === 'EEXIST') throw new SpecFileExistsError(path);
      // File systems without hard links: check, then rename (a race is then possible, but unlikely).
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(code(err) ?? '')) throw err;
      if (existsSync(path)) throw new SpecFileExistsError(path);
      await rename(tmp, path);
    }
  } finally {
    await rm(tmp, { force: true });
  }
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}
