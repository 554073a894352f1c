import { loadAll } from 'js-yaml';
import { readSpecFiles } from '../files/find-spec-files.js';

export interface SpecNames {
  /** metadata.name of every application, sorted, each once. */
  readonly apps: readonly string[];
  /** spec.environments[].name of every application, sorted, each once. */
  readonly environments: readonly string[];
}

const names = (values: Iterable<unknown>): string[] => [...new Set([...values].filter((v): v is string => typeof v === 'string' && v !== ''))].sort();

/**
 * The application and environment names of the specs under `paths`, found as `validate` finds
 * them (findSpecFiles), for shell completion: nothing is compiled or validated, a file that does
 * not parse is passed over, a path that does not exist gives no names.
 */
export async function specNames(opts: { readonly paths: readonly string[]; readonly cwd?: string }): Promise<SpecNames> {
  const files = await readSpecFiles(opts.paths, opts.cwd).catch(() => []);
  const apps: unknown[] = [];
  const environments: unknown[] = [];
  for (const file of files) {
    let docs: unknown[];
    try {
      docs = loadAll(file.text);
    } catch {
      continue;
    }
    for (const doc of docs) {
      const d = doc as { metadata?: { name?: unknown }; spec?: { environments?: unknown } } | null;
      apps.push(d?.metadata?.name);
      if (Array.isArray(d?.spec?.environments)) for (const e of d.spec.environments) environments.push((e as { name?: unknown } | null)?.name);
    }
  }
  return { apps: names(apps), environments: names(environments) };
}
