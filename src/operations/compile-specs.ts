import { compile, type CompileOptions, type CompileResult } from '../compile.js';
import { referencedFiles, type FileReference, type ReadFiles } from '../load/referenced-files.js';
import type { SourceFile } from '../load/source.js';
import type { Registry } from '../plugins/registry.js';
import { registerSecrets } from '../secrets/register-secrets.js';
import type { SecretSink } from '../secrets/redactor.js';

export interface CompileSpecsOptions extends Omit<CompileOptions, 'registry' | 'files'> {
  /** The tables each spec file compiles with: its directory's plugins (CLI), or those installed with the daemon. */
  readonly registryFor: (file: string) => Registry;
  /** Reads the files the specs name (k8s-objects manifests): from the file system, or from git at a revision. */
  readonly readReferenced: (refs: readonly FileReference[]) => Promise<ReadFiles>;
  /** Where the secret values of the specs (and of the Secrets they render) are registered. */
  readonly secrets?: SecretSink | undefined;
}

/**
 * The one path from spec files to compiled apps that every command and the watch daemon take:
 * the files the specs name are read through the edge given (the compiler stays pure), the specs
 * are compiled with their plugins' tables, and the secret values found are registered for masking.
 */
export async function compileSpecs(specs: readonly SourceFile[], opts: CompileSpecsOptions): Promise<CompileResult> {
  const { registryFor, readReferenced, secrets, ...options } = opts;
  const named = referencedFiles(specs, (file) => registryFor(file).componentTypes);
  const read = await readReferenced(named);
  const compiled = compile(specs, { ...options, registry: registryFor, files: read });
  registerSecrets(secrets, compiled.secrets, compiled.apps);
  return compiled;
}
