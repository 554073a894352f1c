import { resolve } from 'node:path';
import type { CompileResult } from '../compile.js';
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../load/source.js';
import { PluginLoadFault } from './extension-error.js';
import { boundaryAmong, commandLineDirs, PluginResolver } from './load-plugins.js';
import type { PluginSet } from './plugin-set.js';

/** The plugins of each spec file, and the files whose config's plugins failed to load. */
export interface PluginsForFiles {
  /** By the file's path as read (relative to cwd); a file whose plugins failed has none. */
  readonly sets: ReadonlyMap<string, PluginSet>;
  /** One `plugin-failed` diagnostic per file whose config's plugins failed to load. */
  readonly failures: readonly Diagnostic[];
}

/**
 * Loads the plugins that apply to each spec file (the nearest config, up to the repository root
 * or, outside one, the path given on the command line). Plugin code that fails while it loads
 * (throws, loops, runs out of memory, tries to exit) is a `plugin-failed` diagnostic on every
 * file of that config, which is not compiled; a config that is wrong (a module not found, two
 * plugins defining one name) is a PluginLoadError, as before.
 */
export async function pluginsForFiles(files: readonly SourceFile[], paths: readonly string[], cwd: string): Promise<PluginsForFiles> {
  const resolver = new PluginResolver();
  const sets = new Map<string, PluginSet>();
  const failures: Diagnostic[] = [];
  const dirs = await commandLineDirs(paths, cwd);
  for (const f of files) {
    try {
      sets.set(f.path, await resolver.forFile(resolve(cwd, f.path), boundaryAmong(f.path, dirs, cwd)));
    } catch (err) {
      if (!(err instanceof PluginLoadFault)) throw err;
      failures.push({
        severity: 'error',
        code: 'plugin-failed',
        message: err.message,
        hint: `a fault of the plugin, not of the spec: fix the plugin or report it to its authors; nothing of the specs under ${err.config} is rendered`,
        file: f.path,
        pointer: '',
        line: 1,
        col: 1,
      });
    }
  }
  return { sets, failures };
}

/** A compile's result with the load failures added: nothing is rendered when there is one. */
export function withLoadFailures<T extends CompileResult>(result: T, failures: readonly Diagnostic[]): T {
  if (!failures.length) return result;
  return { ...result, apps: [], diagnostics: sortDiagnostics([...result.diagnostics, ...failures]) };
}
