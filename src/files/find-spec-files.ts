import { readFileSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { MANIFEST_FILE } from '../bundle/bundle-manifest.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../load/source.js';
import { KubeminError } from '../errors/kubemin-error.js';

// `.kubemin-staging`: where `kubemin render` stages a bundle (src/files/bundle-dir/bundle-transaction.ts).
const SKIP_DIRS = new Set(['.git', 'node_modules', '.kubemin-staging']);

/** `kubemin.yaml` or `<anything>.kubemin.yaml`. */
export function isSpecFileName(name: string): boolean {
  return name === 'kubemin.yaml' || name.endsWith('.kubemin.yaml');
}

export class SpecPathError extends KubeminError {
  override readonly name = 'SpecPathError';
}

export interface FoundSpecFiles {
  readonly files: SourceFile[];
  /** Warnings about what was not read: symbolic links that lead outside the directory searched, or nowhere. */
  readonly diagnostics: Diagnostic[];
}

/**
 * Finds spec files under the given paths (directories are searched recursively, skipping `.git`
 * and `node_modules`; a file named explicitly is taken whatever its name) and reads them.
 * Paths are reported relative to `cwd`, with `/` separators, sorted.
 *
 * Symbolic links inside a directory searched are followed when they lead to a file or directory
 * inside it (each directory is searched once, so a link to a parent is no cycle, and a file
 * reached twice is read once, under its own path rather than a link's). A link that leads
 * outside it, or nowhere, is not followed, and is a warning naming it: what a spec file reads
 * must be in the tree being checked (a link to ~/.kube/config must not end up in a code frame).
 */
export async function findSpecFiles(paths: readonly string[], cwd: string = process.cwd()): Promise<FoundSpecFiles> {
  const found = new Map<string, Candidate[]>();
  const diagnostics: Diagnostic[] = [];
  const show = (abs: string): string => toPosix(relative(cwd, abs)) || abs;
  for (const p of paths.length ? paths : ['.']) {
    const abs = resolve(cwd, p);
    const info = await stat(abs).catch(() => undefined);
    if (!info) throw new SpecPathError(`${p}: no such file or directory`);
    if (info.isFile()) add(found, { path: abs, real: await realpath(abs), viaLink: false });
    else if (info.isDirectory()) {
      const root = await realpath(abs);
      const w: Walk = { root, shown: p, visited: new Set([root]), links: [], found, warn: (d) => diagnostics.push({ ...d, file: show(d.file) }) };
      w.links.push(...(await walk(w, abs, root, false, 0)));
      // Links last, so that a directory is searched under its own path when it has one.
      for (let link = w.links.shift(); link; link = w.links.shift()) await followLink(w, link.path, link.name, link.depth);
    } else throw new SpecPathError(`${p}: not a regular file or a directory (a FIFO, a device or a socket): name spec files or directories`);
  }
  // A file reached twice (directly and through a link, or by two paths named) is read once.
  const files = [...found.values()].map((c) => [...c].sort(preferred)[0]!.path).sort();
  return {
    // Read synchronously: spec files are small and regular (checked above), and a thousand promises
    // of readFile cost 60-100 ms of CPU where readFileSync takes 10 (bench/README.md, render).
    files: files.map((abs) => ({ path: show(abs), text: readFileSync(abs, 'utf8') })),
    diagnostics: dedupe(diagnostics),
  };
}

/** The files of findSpecFiles, without its warnings. */
export async function readSpecFiles(paths: readonly string[], cwd: string = process.cwd()): Promise<SourceFile[]> {
  return (await findSpecFiles(paths, cwd)).files;
}

interface Candidate {
  /** The path as found (through links, maybe). */
  readonly path: string;
  readonly real: string;
  readonly viaLink: boolean;
}

interface Walk {
  /** The real path of the directory named: links are followed inside it only. */
  readonly root: string;
  /** The directory as the user named it, for messages. */
  readonly shown: string;
  /** Real paths of the directories searched (each once: no cycles). */
  readonly visited: Set<string>;
  /** Links found, followed once the directories themselves were searched. */
  readonly links: Array<{ readonly path: string; readonly name: string; readonly depth: number }>;
  readonly found: Map<string, Candidate[]>;
  warn(d: Diagnostic & { file: string }): void;
}

type Link = Walk['links'][number];

/**
 * Searches a directory, its subdirectories at once (a thousand app directories side by side are
 * read concurrently, not one after another), and returns the links found, to be followed after
 * the directories themselves, in the order a depth-first search in name order meets them (so
 * which of two links to one directory is followed does not depend on which read finished first).
 */
async function walk(w: Walk, dir: string, real: string, viaLink: boolean, depth: number): Promise<Link[]> {
  // A directory below the one named that disappears meanwhile (renamed by a render into it) held no spec.
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (depth === 0 || err.code !== 'ENOENT') throw err;
    return [];
  });
  // A rendered bundle (its record is there) holds manifests, never specs, whatever their names.
  if (depth > 0 && entries.some((e) => e.name === MANIFEST_FILE)) return [];
  const inOrder: Array<Link | Promise<Link[]>> = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      const realDir = join(real, e.name);
      if (SKIP_DIRS.has(e.name) || w.visited.has(realDir)) continue;
      w.visited.add(realDir);
      inOrder.push(walk(w, path, realDir, viaLink, depth + 1));
    } else if (e.isFile()) {
      if (isSpecFileName(e.name)) add(w.found, { path, real: join(real, e.name), viaLink });
    } else if (e.isSymbolicLink() && !SKIP_DIRS.has(e.name)) {
      inOrder.push({ path, name: e.name, depth });
    }
  }
  return (await Promise.all(inOrder)).flatMap((l) => l);
}

async function followLink(w: Walk, path: string, name: string, depth: number): Promise<void> {
  const target = await realpath(path).catch(() => undefined);
  const info = target === undefined ? undefined : await stat(target).catch(() => undefined);
  if (target === undefined || info === undefined) {
    w.warn({
      severity: 'warning',
      code: 'symlink-broken',
      message: 'this symbolic link leads nowhere, so nothing behind it was read',
      hint: 'remove the link, or make it point to an existing file or directory',
      file: path,
    });
    return;
  }
  const matters = info.isDirectory() || isSpecFileName(name);
  if (!matters) return;
  if (target !== w.root && !target.startsWith(w.root + sep)) {
    w.warn({
      severity: 'warning',
      code: 'symlink-outside',
      message: `this symbolic link leads outside ${w.shown} (to ${target}), so it is not followed${info.isDirectory() ? ': no spec file below it is read' : ''}`,
      hint: 'move what it points to into the directory, or name the target as a path of its own',
      file: path,
    });
    return;
  }
  if (info.isDirectory()) {
    // A link to a directory searched already (a parent: a cycle) adds nothing.
    if (w.visited.has(target)) return;
    w.visited.add(target);
    w.links.push(...(await walk(w, path, target, true, depth + 1)));
  } else if (info.isFile()) {
    add(w.found, { path, real: target, viaLink: true });
  } else {
    w.warn({
      severity: 'warning',
      code: 'symlink-not-a-file',
      message: 'this symbolic link leads to something that is not a regular file (a FIFO, a device or a socket), so it is not read',
      hint: 'point it to a spec file',
      file: path,
    });
  }
}

function add(found: Map<string, Candidate[]>, c: Candidate): void {
  const list = found.get(c.real);
  if (list) list.push(c);
  else found.set(c.real, [c]);
}

/** A file's own path before a link's, then the shortest, then the first in order. */
function preferred(a: Candidate, b: Candidate): number {
  if (a.viaLink !== b.viaLink) return a.viaLink ? 1 : -1;
  return a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}\0${d.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}
