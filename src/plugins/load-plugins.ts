import { load } from 'js-yaml';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { GPU_RESOURCE } from '../expand/traits/resources.js';
import * as fragments from '../spec/fragments.js';
import { PluginLoadError } from './extension-error.js';
import { pluginLimits, type PluginLimits } from './limits.js';
import { PluginHost } from './plugin-host.js';
import { builtinPluginSet, createPluginSet, type PluginSet } from './plugin-set.js';
import { remotePlugins } from './remote-plugin.js';
import type { PluginSource, WorkerSetup } from './wire.js';
import { configRoot, shown } from './worker-load.js';

/** Where a repository declares its plugins, looked for in this order in each directory. */
export const CONFIG_NAMES = ['kubemin.config.mjs', 'kubemin.config.js', '.kubemin/config.yaml'] as const;

// The plugin API's data: the schema fragments (functions among them are left out), the GPU resource.
const API: WorkerSetup['api'] = {
  fragments: Object.fromEntries(Object.entries(fragments).filter(([, v]) => typeof v !== 'function')),
  gpuResource: GPU_RESOURCE,
};

const isUnder = (path: string, dir: string): boolean => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** Whether a path exists: `existsSync`, or a memo of it for a run that asks about many files of one tree. */
export type Exists = (path: string) => boolean;

/** existsSync, each path asked once: spec files side by side share their parents' answers. */
function memoExists(): Exists {
  const known = new Map<string, boolean>();
  return (path) => {
    let yes = known.get(path);
    if (yes === undefined) known.set(path, (yes = existsSync(path)));
    return yes;
  };
}

/** The repository a directory is in: the nearest directory above it (or it) with `.git` (a directory, or a worktree's file). */
export function repositoryRoot(dir: string, exists: Exists = existsSync): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (exists(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/**
 * The config that applies to a directory: the nearest one in it or above it, up to the
 * repository root (the nearest `.git`) or, outside a repository, up to `boundary` (the directory
 * given on the command line; the directory itself when none is given). A config in a parent
 * directory above that is never read: it is not the repository's, whoever planted it there.
 */
export function findPluginConfig(dir: string, boundary?: string, exists: Exists = existsSync): string | undefined {
  const start = resolve(dir);
  const given = resolve(boundary ?? start);
  const stop = repositoryRoot(start, exists) ?? (isUnder(start, given) ? given : start);
  for (let d = start; ; d = dirname(d)) {
    for (const name of CONFIG_NAMES) if (exists(join(d, name))) return join(d, name);
    if (d === stop || dirname(d) === d) return undefined;
  }
}

/** The boundary for a spec file: the nearest of the paths given on the command line that holds it (a file's directory). */
export async function commandLineBoundary(file: string, paths: readonly string[], cwd: string): Promise<string> {
  return boundaryAmong(file, await commandLineDirs(paths, cwd), cwd);
}

/** The directories of the paths given on the command line (a file's directory), for boundaryAmong. */
export function commandLineDirs(paths: readonly string[], cwd: string): Promise<string[]> {
  return Promise.all(
    paths.map(async (p) => {
      const given = resolve(cwd, p);
      const isFile = await stat(given).then(
        (s) => s.isFile(),
        () => false,
      );
      return isFile ? dirname(given) : given;
    }),
  );
}

/** commandLineBoundary with the command line's directories found once (commandLineDirs). */
export function boundaryAmong(file: string, dirs: readonly string[], cwd: string): string {
  const abs = resolve(cwd, file);
  let nearest: string | undefined;
  for (const d of dirs) if (isUnder(abs, d) && (nearest === undefined || d.length > nearest.length)) nearest = d;
  return nearest ?? dirname(abs);
}

async function sourceOf(file: string): Promise<PluginSource> {
  if (!file.endsWith('.yaml')) return { kind: 'config', file };
  let config: unknown;
  try {
    config = load(await readFile(file, 'utf8'));
  } catch (err) {
    throw new PluginLoadError(`${file}: not YAML: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const plugins = (config as { plugins?: unknown } | undefined)?.plugins ?? [];
  if (!Array.isArray(plugins)) throw new PluginLoadError(`${file}: plugins must be a list`);
  const bad = plugins.findIndex((p) => typeof p !== 'string');
  if (bad >= 0) throw new PluginLoadError(`${file}: plugins[${bad}] must be a module name or a path`);
  return { kind: 'modules', from: configRoot(file), specifiers: plugins as string[] };
}

/** Starts a worker for a source's plugins, loads them, and builds the tables. */
function loadPlugins(source: PluginSource, label: string, limits: PluginLimits): PluginSet & { readonly host: PluginHost } {
  const { host, plugins } = PluginHost.load(source, limits, API, label);
  try {
    return { ...createPluginSet(remotePlugins(host, plugins)), host };
  } catch (err) {
    host.close();
    throw err;
  }
}

/** Loads a config's plugins (in their worker) and builds its tables. */
export async function loadPluginConfig(file: string, limits: PluginLimits = pluginLimits()): Promise<PluginSet & { readonly host: PluginHost }> {
  return loadPlugins(await sourceOf(file), shown(file), limits);
}

/**
 * The watch daemon's plugins: modules installed with it (`--plugin`, paths or npm packages
 * resolved from `from`), never a config of the repository it follows.
 */
export function loadInstalledPlugins(
  specifiers: readonly string[],
  from: string,
  limits: PluginLimits = pluginLimits(),
): { readonly set: PluginSet; close(): void } {
  if (!specifiers.length) return { set: builtinPluginSet, close: () => undefined };
  const set = loadPlugins({ kind: 'modules', from, specifiers }, 'kubemin watch --plugin', limits);
  return { set, close: () => set.host.close() };
}

/** Plugin sets by the config that applies, each loaded once. */
export class PluginResolver {
  private readonly sets = new Map<string, Promise<PluginSet & { readonly host: PluginHost }>>();
  private limits: PluginLimits | undefined;
  /** The files looked for, each once per resolver: a thousand apps side by side share their parents. */
  private readonly exists = memoExists();

  /** The tables for a spec file (the built-ins when no config applies); `boundary` as findPluginConfig's. */
  forFile(file: string, boundary?: string): Promise<PluginSet> {
    return this.forDir(dirname(resolve(file)), boundary);
  }

  forDir(dir: string, boundary?: string): Promise<PluginSet> {
    const config = findPluginConfig(dir, boundary, this.exists);
    return config ? this.forConfig(config) : Promise.resolve(builtinPluginSet);
  }

  forConfig(config: string): Promise<PluginSet> {
    let set = this.sets.get(config);
    if (!set) {
      this.limits ??= pluginLimits();
      set = loadPluginConfig(config, this.limits);
      this.sets.set(config, set);
    }
    return set;
  }

  /** Every config loaded so far, with its set. */
  async loaded(): Promise<Array<{ config: string; set: PluginSet }>> {
    return Promise.all([...this.sets].map(async ([config, set]) => ({ config, set: await set })));
  }

  /** Stops the workers (they never keep kubemin running; this frees them sooner). */
  async close(): Promise<void> {
    for (const set of this.sets.values()) (await set.catch(() => undefined))?.host.close();
  }
}
