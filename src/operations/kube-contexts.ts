import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { load } from 'js-yaml';

/**
 * The context names of the kubeconfig files kubectl would read (`kubeconfig` if given, else each of
 * KUBECONFIG, else ~/.kube/config), sorted, each once: for shell completion of `--context`. Nothing
 * is connected to and no plugin is run; a file that cannot be read or parsed gives no names.
 */
export async function kubeContexts(opts: { readonly kubeconfig?: string | undefined } = {}): Promise<string[]> {
  const files = opts.kubeconfig
    ? [opts.kubeconfig]
    : (process.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean).length
      ? (process.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean)
      : [join(homedir(), '.kube', 'config')];
  const names = new Set<string>();
  for (const file of files) {
    try {
      const doc = load(await readFile(file, 'utf8')) as { contexts?: Array<{ name?: unknown } | null> } | null;
      for (const c of doc?.contexts ?? []) if (typeof c?.name === 'string' && c.name) names.add(c.name);
    } catch {
      // not there, or not YAML: no names from it
    }
  }
  return [...names].sort();
}
