import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { SourceFile } from './source.js';

const SKIP_DIRS = new Set(['.git', 'node_modules']);

/** `kubemin.yaml` or `<anything>.kubemin.yaml`. */
export function isSpecFileName(name: string): boolean {
  return name === 'kubemin.yaml' || name.endsWith('.kubemin.yaml');
}

export class SpecPathError extends Error {
  override readonly name = 'SpecPathError';
}

/**
 * Finds spec files under the given paths (directories are searched recursively, skipping `.git`
 * and `node_modules`; a file named explicitly is taken whatever its name) and reads them.
 * Paths are reported relative to `cwd`, with `/` separators, sorted.
 */
export async function readSpecFiles(paths: readonly string[], cwd: string = process.cwd()): Promise<SourceFile[]> {
  const found = new Set<string>();
  for (const p of paths.length ? paths : ['.']) {
    const abs = resolve(cwd, p);
    const info = await stat(abs).catch(() => undefined);
    if (!info) throw new SpecPathError(`${p}: no such file or directory`);
    if (info.isFile()) found.add(abs);
    else await walk(abs, found);
  }
  const files = [...found].sort();
  return Promise.all(
    files.map(async (abs) => ({ path: toPosix(relative(cwd, abs)) || abs, text: await readFile(abs, 'utf8') })),
  );
}

async function walk(dir: string, found: Set<string>): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) await walk(join(dir, e.name), found);
    } else if (e.isFile() && isSpecFileName(e.name)) {
      found.add(join(dir, e.name));
    }
  }
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}
