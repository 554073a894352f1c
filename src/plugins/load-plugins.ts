import { load } from 'js-yaml';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { shortHash } from '../expand/hash.js';
import { GPU_RESOURCE } from '../expand/traits/resources.js';
import * as fragments from '../spec/fragments.js';
import { PluginLoadError } from './extension-error.js';
import { builtinPluginSet, createPluginSet, type PluginSet } from './plugin-set.js';
import type { KubeminPlugin, LoadedPlugin, PluginApi, PluginModule } from './types.js';

/** Where a repository declares its plugins, looked for in this order in each directory. */
export const CONFIG_NAMES = ['kubemin.config.mjs', 'kubemin.config.js', '.kubemin/config.yaml'] as const;

// Data only: the schema fragments (functions among them are left out).
const API: PluginApi = {
  apiVersion: 1,
  fragments: Object.fromEntries(Object.entries(fragments).filter(([, v]) => typeof v !== 'function')) as PluginApi['fragments'],
  gpuResource: GPU_RESOURCE,
  shortHash,
};

/**
 * The config file that applies to a directory: the nearest one in it or above it, up to the
 * repository root (a directory with `.git`) or the file system's root.
 */
export function findPluginConfig(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    for (const name of CONFIG_NAMES) if (existsSync(join(d, name))) return join(d, name);
    if (existsSync(join(d, '.git')) || dirname(d) === d) return undefined;
  }
}

/** A path as people read it: relative to the working directory when it is under it. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** The plugin a module gives: its default export, or what that function returns for the API. */
async function pluginOf(value: unknown, source: string): Promise<KubeminPlugin> {
  const module = value as PluginModule;
  try {
    return typeof module === 'function' ? await module(API) : module;
  } catch (err) {
    throw new PluginLoadError(`${source}: the plugin's function threw: ${(err as Error).message}`);
  }
}

/** The directory a config speaks for, which its relative paths start from: `.kubemin/`'s parent. */
function configRoot(configFile: string): string {
  const dir = dirname(configFile);
  return dir.endsWith(`${sep}.kubemin`) ? dirname(dir) : dir;
}

/** Imports a plugin named in a config: a path (relative to the config) or an npm package (resolved from it). */
async function importPlugin(specifier: string, configFile: string): Promise<LoadedPlugin> {
  const from = configRoot(configFile);
  let file: string;
  try {
    file = specifier.startsWith('.') || isAbsolute(specifier) ? resolve(from, specifier) : createRequire(join(from, 'noop.js')).resolve(specifier);
  } catch (err) {
    throw new PluginLoadError(`${configFile}: plugin "${specifier}" cannot be found (${(err as Error).message.split('\n')[0]}); install it, or fix the path`);
  }
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (err) {
    throw new PluginLoadError(`${configFile}: plugin "${specifier}" failed to load: ${(err as Error).message}`);
  }
  const source = specifier.startsWith('.') || isAbsolute(specifier) ? shown(file) : specifier;
  if (module.default === undefined) throw new PluginLoadError(`${source}: the module has no default export (the plugin)`);
  return { plugin: await pluginOf(module.default, source), source };
}

/** The entries of a config: module names, or (in a JS config) plugins given inline. */
async function configEntries(file: string): Promise<unknown[]> {
  let config: unknown;
  if (file.endsWith('.yaml')) {
    try {
      config = load(await readFile(file, 'utf8'));
    } catch (err) {
      throw new PluginLoadError(`${file}: not YAML: ${(err as Error).message.split('\n')[0]}`);
    }
  } else {
    try {
      config = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
    } catch (err) {
      throw new PluginLoadError(`${file}: failed to load: ${(err as Error).message}`);
    }
  }
  const plugins = (config as { plugins?: unknown } | undefined)?.plugins;
  if (plugins === undefined) return [];
  if (!Array.isArray(plugins)) throw new PluginLoadError(`${file}: plugins must be a list`);
  return plugins;
}

/** Loads a config's plugins and builds its tables. */
export async function loadPluginConfig(file: string): Promise<PluginSet> {
  const loaded: LoadedPlugin[] = [];
  for (const [i, entry] of (await configEntries(file)).entries()) {
    if (typeof entry === 'string') loaded.push(await importPlugin(entry, file));
    else loaded.push({ plugin: await pluginOf(entry, `${file} (plugins[${i}])`), source: `${file} (plugins[${i}])` });
  }
  return createPluginSet(loaded);
}

/** Plugin sets by the config that applies, each loaded once. */
export class PluginResolver {
  private readonly sets = new Map<string, Promise<PluginSet>>();

  /** The tables for a spec file (the built-ins when no config applies). */
  forFile(file: string): Promise<PluginSet> {
    return this.forDir(dirname(resolve(file)));
  }

  forDir(dir: string): Promise<PluginSet> {
    const config = findPluginConfig(dir);
    if (!config) return Promise.resolve(builtinPluginSet);
    let set = this.sets.get(config);
    if (!set) {
      set = loadPluginConfig(config);
      this.sets.set(config, set);
    }
    return set;
  }

  /** Every config loaded so far, with its set. */
  async loaded(): Promise<Array<{ config: string; set: PluginSet }>> {
    return Promise.all([...this.sets].map(async ([config, set]) => ({ config, set: await set })));
  }
}
