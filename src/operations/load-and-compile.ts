import type { CompileOptions, CompileResult } from '../compile.js';
import { sortDiagnostics } from '../diagnostics/diagnostic.js';
import { selectEnvironment } from '../environments/select-environment.js';
import { findSpecFiles } from '../files/find-spec-files.js';
import { readReferencedFiles } from '../files/read-referenced-files.js';
import type { PluginSet } from '../plugins/plugin-set.js';
import { pluginsForFiles, withLoadFailures } from '../plugins/plugins-for-files.js';
import type { SecretSink } from '../secrets/redactor.js';
import { compileSpecs } from './compile-specs.js';

export interface LoadOptions extends Omit<CompileOptions, 'registry'> {
  readonly paths: readonly string[];
  readonly cwd?: string;
  /** Keep only this application. */
  readonly app?: string;
  /** Keep only this environment's variants (and the apps without environments): see selectEnvironment. */
  readonly env?: string;
  /** Where the secret values of the specs (and of the Secrets they render) are registered. */
  readonly secrets?: SecretSink;
}

export interface LoadResult extends CompileResult {
  readonly fileCount: number;
  /** With `env`: the apps that have environments, but not that one (not in `apps`). */
  readonly skipped: readonly string[];
  /** The plugins (and built-ins) a spec file was compiled with: its directory's kubemin.config. */
  pluginsFor(file: string): PluginSet;
}

/**
 * Reads the spec files under `paths`, loads the plugins their directories declare
 * (kubemin.config.mjs or .kubemin/config.yaml, nearest above each file up to the repository root),
 * and compiles them: the file-system edge of the compiler.
 */
export async function loadAndCompile(opts: LoadOptions): Promise<LoadResult> {
  const cwd = opts.cwd ?? process.cwd();
  // Symbolic links that are not followed are warnings, beside the compiler's diagnostics.
  const { files, diagnostics: found } = await findSpecFiles(opts.paths, cwd);
  // Plugins run in a worker: a fault of theirs (at load or in a call) is a plugin-failed diagnostic.
  const { sets, failures } = await pluginsForFiles(files, opts.paths, cwd);
  const pluginsFor = (file: string): PluginSet => sets.get(file)!;
  const specs = files.filter((f) => sets.has(f.path));
  const { paths, cwd: _cwd, app: _app, env: _env, secrets, ...options } = opts;
  const compiled = await compileSpecs(specs, {
    ...options,
    registryFor: (file) => pluginsFor(file).registry,
    // The files specs name (raw manifests) are read here, at the edge: the compiler stays pure.
    readReferenced: (refs) => readReferencedFiles(refs, { cwd, paths }),
    secrets,
  });
  const result = withLoadFailures(compiled, failures);
  // An unknown environment is only worth saying about specs that compile.
  const selected = result.apps.length ? selectEnvironment(result.apps, opts.env) : { apps: result.apps, skipped: [] };
  const apps = opts.app ? selected.apps.filter((a) => a.name === opts.app) : selected.apps;
  const skipped = opts.app ? selected.skipped.filter((a) => a === opts.app) : selected.skipped;
  const diagnostics = found.length ? sortDiagnostics([...found, ...result.diagnostics]) : result.diagnostics;
  return { ...result, diagnostics, apps, skipped, fileCount: files.length, pluginsFor };
}
