import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { emitApp } from '../../src/bundle/emit-bundle.js';
import { compile, type CompiledApp, type CompileResult } from '../../src/compile.js';
import { PluginResolver } from '../../src/plugins/load-plugins.js';
import type { Registry } from '../../src/plugins/registry.js';
import { isSpecFileName } from '../../src/files/find-spec-files.js';
import type { SourceFile } from '../../src/load/source.js';
import { readReferencedFiles } from '../../src/files/read-referenced-files.js';
import { referencedFiles, type ReadFiles } from '../../src/load/referenced-files.js';

export const REPO = join(import.meta.dirname, '..', '..');

/** Golden files are rewritten only on request (UPDATE_GOLDEN=1), then reviewed in the diff. */
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

/** Every file under `dir` (relative POSIX paths -> text), optionally filtered by name. */
export function readTree(dir: string, keep: (path: string) => boolean = () => true): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path);
      else if (keep(path)) out.set(path, readFileSync(join(dir, path), 'utf8'));
    }
  };
  walk('');
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function writeTree(dir: string, files: ReadonlyMap<string, string>): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** The spec files of a case directory, with paths relative to it (skipping `expected/`). */
export function readSpecs(dir: string): SourceFile[] {
  const tree = readTree(dir, (p) => !p.startsWith('expected/') && isSpecFileName(p.slice(p.lastIndexOf('/') + 1)));
  return [...tree].map(([path, text]) => ({ path, text }));
}

/** The bundle directory's files for compiled apps: manifests and plans. */
export function bundleTree(apps: readonly CompiledApp[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const app of apps) {
    const b = emitApp(app);
    for (const f of [...b.files, b.plan]) out.set(f.path, f.text);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function caseDirs(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(root, e.name))
    .sort();
}

/**
 * The tables each spec file compiles with: the plugins its directory declares (kubemin.config
 * nearest above it, as `kubemin` finds them), for specs read relative to `root`.
 */
export async function registriesFor(files: readonly SourceFile[], root: string): Promise<(path: string) => Registry> {
  const resolver = new PluginResolver();
  const byPath = new Map<string, Registry>();
  for (const f of files) byPath.set(f.path, (await resolver.forFile(join(root, f.path))).registry);
  return (path) => byPath.get(path)!;
}

/** Compiles the specs of a case directory with the plugins it declares and the files they name (k8s-objects). */
export async function compileDir(dir: string): Promise<CompileResult> {
  const files = readSpecs(dir);
  const registry = await registriesFor(files, dir);
  return compile(files, { registry, files: await readNamedFiles(files, dir, registry) });
}

/** The files the specs name (raw manifests), read as `kubemin` reads them, for specs read relative to `root`. */
export async function readNamedFiles(files: readonly SourceFile[], root: string, registryFor: (path: string) => Registry): Promise<ReadFiles> {
  return readReferencedFiles(
    referencedFiles(files, (f) => registryFor(f).componentTypes),
    { cwd: root, paths: [root] },
  );
}
