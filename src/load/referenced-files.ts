import jsYaml from 'js-yaml';
import { posix } from 'node:path';
import type { ComponentTypeDef } from '../expand/types.js';
import type { SourceFile } from './source.js';

/**
 * Files a spec names besides itself (a k8s-objects component's `files`: raw manifests, relative
 * to the spec file). The compiler is pure: the load edge (the CLI's file system, the watch
 * daemon's git revision) reads them first and hands them over as `ReadFiles`; this module is
 * what both sides agree on: which paths, and how a path is resolved.
 */

/** What the edge found at a path: the text, or why there is none (in words for the user). */
export type ReadFile = { readonly text: string } | { readonly error: string };

/** By resolved path (POSIX, relative to the same root as the spec files' paths). */
export type ReadFiles = ReadonlyMap<string, ReadFile>;

/** A path named by a spec file. */
export interface FileReference {
  /** Resolved: relative to the root the spec paths are relative to (it may start with `../`). */
  readonly path: string;
  /** The spec file that names it. */
  readonly from: string;
}

/** The largest file a spec may name: as large as a spec file may be. */
export const MAX_REFERENCED_FILE_BYTES = 1024 * 1024;

/** `entry` (relative to the spec file `from`) as a path relative to the spec paths' root. */
export function resolveReference(from: string, entry: string): string {
  return posix.normalize(posix.join(posix.dirname(from), entry));
}

type FileTypes = ReadonlyMap<string, Pick<ComponentTypeDef, 'fileFields'>>;

/**
 * The files the spec files name, each once per naming spec file, sorted. A spec that does not
 * parse names nothing (the compiler reports it); an absolute path is not a reference (the schema
 * refuses it).
 */
export function referencedFiles(files: readonly SourceFile[], typesFor: (file: string) => FileTypes): FileReference[] {
  const out = new Map<string, FileReference>();
  for (const file of files) {
    const types = typesFor(file.path);
    const fielded = [...types].filter(([, t]) => t.fileFields?.length);
    // Most specs name no file: parse again only those that mention such a type.
    if (!fielded.some(([name]) => file.text.includes(name))) continue;
    let docs: unknown[];
    try {
      docs = jsYaml.loadAll(file.text, undefined, { schema: jsYaml.CORE_SCHEMA });
    } catch {
      continue;
    }
    for (const doc of docs) {
      const components = (doc as { spec?: { components?: unknown } } | null)?.spec?.components;
      if (!Array.isArray(components)) continue;
      for (const c of components) {
        if (c === null || typeof c !== 'object') continue;
        const type = types.get(String((c as { type?: unknown }).type));
        for (const field of type?.fileFields ?? []) {
          const list = (c as Record<string, unknown>)[field];
          if (!Array.isArray(list)) continue;
          for (const entry of list) {
            if (typeof entry !== 'string' || !entry || entry.startsWith('/')) continue;
            const path = resolveReference(file.path, entry);
            out.set(`${file.path}\0${path}`, { path, from: file.path });
          }
        }
      }
    }
  }
  return [...out.values()].sort((a, b) => cmp(a.path, b.path) || cmp(a.from, b.from));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
