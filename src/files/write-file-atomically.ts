import { randomBytes } from 'node:crypto';
import { open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces an existing file whole or not at all: the text goes to a temporary file beside it
 * (same directory, so the rename is atomic; same mode), is flushed to disk, then takes the file's
 * name. A symbolic link is followed: the file it leads to is replaced, the link stays.
 */
export async function replaceFileAtomically(path: string, text: string): Promise<void> {
  const real = await realpath(path);
  const { mode } = await stat(real);
  const temp = join(dirname(real), `.${basename(real)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.chmod(mode & 0o7777);
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, real);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
