/**
 * Where the `# yaml-language-server: $schema=...` comment of a new spec points: inside the kubemin
 * checkout (or the installed package) that runs, the relative path to its
 * `schemas/kubemin.schema.json`, as the examples do; anywhere else, the schema's `$id` URL.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_ID } from '../spec/build-schema.js';

export const SCHEMA_FILE = 'schemas/kubemin.schema.json';

/** Pure: the reference for a spec written in `specDir`, given the kubemin package root (if known). */
export function schemaRefFor(specDir: string, kubeminRoot: string | undefined): string {
  if (kubeminRoot === undefined) return SCHEMA_ID;
  const inside = relative(kubeminRoot, specDir);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return SCHEMA_ID;
  return relative(specDir, join(kubeminRoot, SCHEMA_FILE)).split(sep).join('/');
}

/** The root of the kubemin package this code runs from (src/ or build/src/), when it ships the schema. */
export function kubeminPackageRoot(from: string = fileURLToPath(import.meta.url)): string | undefined {
  for (let dir = dirname(from); dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (!existsSync(pkg)) continue;
    try {
      const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name;
      if (name === 'kubemin' && existsSync(join(dir, SCHEMA_FILE))) return realpathSync(dir);
    } catch {
      // not a readable package.json: keep looking
    }
  }
  return undefined;
}

/** The reference for a spec about to be written in `specDir` (which may not exist yet). */
export function schemaRefForDir(specDir: string): string {
  return schemaRefFor(realpathOrResolved(specDir), kubeminPackageRoot());
}

/** The real path of the nearest existing ancestor, with the missing part appended. */
function realpathOrResolved(dir: string): string {
  const abs = resolve(dir);
  for (let existing = abs; ; existing = dirname(existing)) {
    if (existsSync(existing)) return join(realpathSync(existing), relative(existing, abs));
    if (existing === dirname(existing)) return abs;
  }
}
