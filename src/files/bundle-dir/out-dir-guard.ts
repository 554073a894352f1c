import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readSpecFiles } from '../find-spec-files.js';
import { OutDirError } from '../../bundle/bundle-errors.js';

/** The real path of `abs` (links resolved), also when its last parts do not exist yet. */
function realPath(abs: string): string {
  const rest: string[] = [];
  for (let p = abs; ; p = dirname(p)) {
    try {
      return join(realpathSync(p), ...rest.reverse());
    } catch {
      if (dirname(p) === p) return abs;
      rest.push(basename(p));
    }
  }
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Whether `path` is `dir` or inside it. */
function within(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Refuses a bundle directory that holds what is being rendered: a spec file found under `paths`,
 * or the `.kubemin/` directory of a plugin configuration (OutDirError, before anything is written).
 * An `--out` inside a searched directory is fine as long as no spec is under it.
 */
export async function checkOutDir(out: string, paths: readonly string[], cwd: string = process.cwd()): Promise<void> {
  const realOut = realPath(resolve(cwd, out));
  const given = paths.length ? paths : ['.'];
  const inside: string[] = [];
  for (const p of given) {
    const realP = realPath(resolve(cwd, p));
    if (within(realP, realOut)) inside.push(...(await readSpecFiles([p], cwd)).map((f) => f.path));
    else if (within(realOut, realP) && isDirectory(realOut)) inside.push(...(await readSpecFiles([realOut], cwd)).map((f) => f.path));
  }
  if (inside.length) {
    const more = inside.length > 1 ? ` (and ${inside.length - 1} more)` : '';
    throw new OutDirError(
      `--out ${out} holds ${inside[0]}${more}, a spec being rendered: kubemin does not write the bundle where its sources are. ` +
        'Render into a directory without specs (e.g. --out rendered).',
    );
  }
  for (let d = realOut; ; d = dirname(d)) {
    if (basename(d) === '.kubemin' && existsSync(join(d, 'config.yaml')) && given.some((p) => within(realPath(resolve(cwd, p)), dirname(d)))) {
      throw new OutDirError(
        `--out ${out} is inside ${relative(cwd, d) || d}, which holds the plugin configuration of the specs being rendered. Render into another directory.`,
      );
    }
    if (dirname(d) === d) break;
  }
}
