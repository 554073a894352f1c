import type { CompiledApp } from '../compile.js';
import { selectEnvironment } from '../environments/select-environment.js';
import { KubeminError } from '../errors/kubemin-error.js';
import { InputError } from './inputs.js';

/**
 * The apps the Action reports on: with the input `environments`, the apps without environments
 * and those environments' variants (selectEnvironment, for each); without, all. An environment no
 * app of the head has is a mistake in the input, said with the names there are. The base is
 * limited the same way, unchecked: a pull request may add the environment.
 */
export function limitToEnvironments(
  environments: readonly string[],
  head: readonly CompiledApp[],
  base: readonly CompiledApp[] | undefined,
): { head: CompiledApp[]; base: CompiledApp[] | undefined } {
  if (!environments.length) return { head: [...head], base: base && [...base] };
  for (const env of environments) {
    try {
      selectEnvironment(head, env);
    } catch (err) {
      if (err instanceof KubeminError) throw new InputError(`input environments: ${err.message.replace(/^--env /, '')}`);
      throw err;
    }
  }
  const kept = (a: CompiledApp): boolean => !a.environment || environments.includes(a.environment);
  return { head: head.filter(kept), base: base?.filter(kept) };
}
