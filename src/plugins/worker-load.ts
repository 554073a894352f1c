import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { shortHash } from '../expand/hash.js';
import { describeThrown } from './foreign-values.js';
import type { PluginApi } from './types.js';
import { FUNCTIONS, TABLES, type DefMirror, type Fault, type FunctionName, type PluginMirror, type PluginSource, type WorkerSetup } from './wire.js';

/**
 * Loading plugins, in the plugin worker: the config (a JS config is code) and the modules it
 * names are imported here, never in kubemin's own thread.
 */

/** A plugin as its module gave it, with where it came from. */
export interface WorkerPlugin {
  readonly source: string;
  readonly plugin: unknown;
}

/** A load that did not work: what to tell the user. */
export class LoadFault extends Error {
  constructor(readonly fault: Fault) {
    super(fault.message);
  }
}

export function pluginApi(setup: WorkerSetup): PluginApi {
  return { apiVersion: 1, fragments: setup.api.fragments as PluginApi['fragments'], gpuResource: setup.api.gpuResource, shortHash };
}

/** A path as people read it: relative to the working directory when it is under it. */
export function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** The directory a config speaks for, which its relative paths start from: `.kubemin/`'s parent. */
export function configRoot(configFile: string): string {
  const dir = dirname(configFile);
  return dir.endsWith(`${sep}.kubemin`) ? dirname(dir) : dir;
}

const isPath = (specifier: string): boolean => specifier.startsWith('.') || isAbsolute(specifier);

async function importModule(file: string, what: string): Promise<{ default?: unknown }> {
  try {
    return (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (err) {
    throw new LoadFault({ kind: 'threw', message: `${what} failed to load: ${describeThrown(err)}` });
  }
}

/** The plugin a module gives: its default export, or what that function returns for the API. */
async function pluginOf(value: unknown, source: string, api: PluginApi): Promise<unknown> {
  if (typeof value !== 'function') return value;
  try {
    return await (value as (api: PluginApi) => unknown)(api);
  } catch (err) {
    throw new LoadFault({ kind: 'threw', message: `${source}: the plugin's function threw: ${describeThrown(err)}` });
  }
}

/** Imports a plugin named by a config: a path (relative to `from`) or an npm package (resolved from it). */
async function importPlugin(specifier: string, from: string, api: PluginApi, onImport: (what: string) => void): Promise<WorkerPlugin> {
  onImport(`plugin "${specifier}"`);
  let file: string;
  try {
    file = isPath(specifier) ? resolve(from, specifier) : createRequire(join(from, 'noop.js')).resolve(specifier);
  } catch (err) {
    throw new LoadFault({ kind: 'not-found', message: `plugin "${specifier}" cannot be found (${describeThrown(err)}); install it, or fix the path` });
  }
  const module = await importModule(file, `plugin "${specifier}"`);
  const source = isPath(specifier) ? shown(file) : specifier;
  if (module.default === undefined) throw new LoadFault({ kind: 'bad-config', message: `${source}: the module has no default export (the plugin)` });
  return { plugin: await pluginOf(module.default, source, api), source };
}

/** Loads the plugins of a source, in order. */
export async function loadInWorker(source: PluginSource, api: PluginApi, onImport: (what: string) => void = () => undefined): Promise<WorkerPlugin[]> {
  if (source.kind === 'modules') {
    const out: WorkerPlugin[] = [];
    for (const s of source.specifiers) out.push(await importPlugin(s, source.from, api, onImport));
    return out;
  }
  onImport('the config');
  const config = (await importModule(source.file, 'the config')).default;
  let entries: unknown;
  try {
    entries = (config as { plugins?: unknown } | undefined)?.plugins;
  } catch (err) {
    throw new LoadFault({ kind: 'threw', message: `reading its plugins threw: ${describeThrown(err)}` });
  }
  if (entries === undefined) return [];
  if (!Array.isArray(entries)) throw new LoadFault({ kind: 'bad-config', message: 'plugins must be a list' });
  const out: WorkerPlugin[] = [];
  for (const [i, entry] of [...(entries as unknown[])].entries()) {
    const inline = `${shown(source.file)} (plugins[${i}])`;
    if (typeof entry === 'string') out.push(await importPlugin(entry, configRoot(source.file), api, onImport));
    else {
      onImport(`plugin ${inline}`);
      out.push({ plugin: await pluginOf(entry, inline, api), source: inline });
    }
  }
  return out;
}

/** A value of a plugin's entry, read and checked to be data, or the reason it cannot be passed on. */
function dataOf(value: unknown, where: string): unknown {
  try {
    return structuredClone(value);
  } catch (err) {
    throw new LoadFault({ kind: 'not-data', message: `${where} cannot be passed to kubemin (plugins give data): ${describeThrown(err)}` });
  }
}

function read(o: object, key: PropertyKey, where: string): unknown {
  try {
    return (o as Record<PropertyKey, unknown>)[key];
  } catch (err) {
    throw new LoadFault({ kind: 'threw', message: `reading ${where} threw: ${describeThrown(err)}` });
  }
}

function mirrorDef(def: unknown, where: string, functions: readonly FunctionName[]): DefMirror {
  if (typeof def !== 'object' || def === null || Array.isArray(def)) return { data: null, functions: [] };
  const data: Record<string, unknown> = {};
  const present: FunctionName[] = [];
  let keys: string[];
  try {
    keys = Object.keys(def);
  } catch (err) {
    throw new LoadFault({ kind: 'threw', message: `reading ${where} threw: ${describeThrown(err)}` });
  }
  for (const key of keys) {
    const value = read(def, key, `${where}.${key}`);
    if (typeof value === 'function') {
      if ((functions as readonly string[]).includes(key)) present.push(key as FunctionName);
      else data[key] = null; // a helper method: kubemin does not call it
    } else data[key] = dataOf(value, `${where}.${key}`);
  }
  return { data, functions: present };
}

/** A plugin as data for kubemin: names, schemas, descriptions and flags; its functions by name. */
export function mirrorPlugin(p: WorkerPlugin): PluginMirror {
  const plugin = p.plugin;
  if (typeof plugin !== 'object' || plugin === null || Array.isArray(plugin)) return { source: p.source, name: undefined, tables: {} };
  const name = read(plugin, 'name', `${p.source}: name`);
  const tables: Record<string, readonly DefMirror[] | 'not-a-list'> = {};
  for (const table of TABLES) {
    const list = read(plugin, table, `${p.source}: ${table}`);
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      tables[table] = 'not-a-list';
      continue;
    }
    tables[table] = [...(list as unknown[])].map((def, i) => mirrorDef(def, `${p.source}: ${table}[${i}]`, FUNCTIONS[table]));
  }
  return { source: p.source, name: typeof name === 'string' ? name : dataOf(name, `${p.source}: name`), tables };
}

/** The function behind a handle, called as a method of its entry (so `this` is the entry). */
export function entryOf(plugins: readonly WorkerPlugin[], pluginIndex: number, table: string, index: number): Record<string, unknown> {
  const plugin = plugins[pluginIndex]?.plugin as Record<string, unknown[]> | undefined;
  const def = plugin?.[table]?.[index];
  if (typeof def !== 'object' || def === null) throw new Error(`no ${table}[${index}] in plugin ${pluginIndex}`);
  return def as Record<string, unknown>;
}
