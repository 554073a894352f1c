import { compile, type CompileOptions, type CompileResult } from '../compile.js';
import { readSpecFiles } from '../load/find-spec-files.js';

export interface LoadOptions extends CompileOptions {
  readonly paths: readonly string[];
  readonly cwd?: string;
  /** Keep only this application. */
  readonly app?: string;
}

/** Reads the spec files under `paths` and compiles them (the file-system edge of the compiler). */
export async function loadAndCompile(opts: LoadOptions): Promise<CompileResult & { fileCount: number }> {
  const files = await readSpecFiles(opts.paths, opts.cwd);
  const result = compile(files, opts);
  const apps = opts.app ? result.apps.filter((a) => a.name === opts.app) : result.apps;
  return { ...result, apps, fileCount: files.length };
}
