import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { commandLineBoundary, repositoryRoot } from '../plugins/load-plugins.js';
import { MAX_REFERENCED_FILE_BYTES, type FileReference, type ReadFile } from '../load/referenced-files.js';

/**
 * The file-system edge for the files specs name (raw manifests): each read once, only when it
 * lies inside the repository of the spec that names it (the nearest `.git` above it) or, outside
 * one, inside the directory given on the command line; a symbolic link is followed only when its
 * target lies there too. Nothing else is read: a spec from a pull request must not be able to
 * pull ~/.kube/config into a bundle, a diff or a code frame.
 */
export async function readReferencedFiles(
  refs: readonly FileReference[],
  opts: { readonly cwd: string; readonly paths: readonly string[] },
): Promise<Map<string, ReadFile>> {
  const out = new Map<string, ReadFile>();
  for (const ref of refs) {
    const previous = out.get(ref.path);
    if (previous && !('error' in previous)) continue;
    const specDir = resolve(opts.cwd, ref.from, '..');
    const boundary = repositoryRoot(specDir) ?? (await commandLineBoundary(ref.from, opts.paths, opts.cwd));
    out.set(ref.path, await readOne(resolve(opts.cwd, ref.path), boundary));
  }
  return out;
}

async function readOne(abs: string, boundary: string): Promise<ReadFile> {
  const where = (b: string): string => `the repository or directory being read (${b})`;
  if (!within(abs, boundary)) return { error: `lies outside ${where(boundary)}` };
  const real = await realpath(abs).catch((err: NodeJS.ErrnoException) => err);
  if (real instanceof Error) return { error: real.code === 'ENOENT' ? 'no such file' : `cannot be read (${real.code ?? real.message})` };
  const realBoundary = await realpath(boundary).catch(() => boundary);
  if (!within(real, realBoundary)) return { error: `is a symbolic link to ${real}, outside ${where(boundary)}: it is not read` };
  let handle;
  try {
    // O_NONBLOCK: a FIFO does not wait for a writer; it is then refused as not a regular file.
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = await handle.stat();
    if (!info.isFile()) return { error: info.isDirectory() ? 'is a directory, not a file' : 'is not a regular file' };
    if (info.size > MAX_REFERENCED_FILE_BYTES)
      return { error: `is ${info.size} bytes, over the limit of ${MAX_REFERENCED_FILE_BYTES}: split it into several files` };
    return { text: await handle.readFile('utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { error: code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code ?? (err as Error).message})` };
  } finally {
    await handle?.close();
  }
}

function within(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}
