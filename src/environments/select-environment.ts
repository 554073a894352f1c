import type { CompiledApp } from '../compile.js';
import { closest } from '../diagnostics/did-you-mean.js';
import { KubeminError } from '../errors/kubemin-error.js';

export interface Selection {
  /** The apps without environments, and each app's variant for the environment. */
  readonly apps: CompiledApp[];
  /** Apps with environments that do not have this one: left out. */
  readonly skipped: string[];
}

/**
 * What `--env NAME` deploys: every app without environments (they run everywhere) and the
 * variant for NAME of each app that has environments. An environment no app has is a mistake
 * (a typo, or the wrong repository): an error with the names there are. Without `env`, every
 * app and every variant.
 */
export function selectEnvironment(apps: readonly CompiledApp[], env: string | undefined): Selection {
  if (env === undefined) return { apps: [...apps], skipped: [] };
  const known = [...new Set(apps.flatMap((a) => (a.environment ? [a.environment] : [])))].sort();
  if (!known.includes(env)) {
    if (!known.length) throw new KubeminError(`--env ${env}: no application here has environments (spec.environments)`);
    const guess = closest(env, known);
    throw new KubeminError(
      `--env ${env}: no application has an environment "${env}"${guess ? `; did you mean "${guess}"?` : ''} (environments: ${known.join(', ')})`,
    );
  }
  const withEnv = new Set(apps.filter((a) => a.environment === env).map((a) => a.name));
  const skipped = [...new Set(apps.filter((a) => a.environment && !withEnv.has(a.name)).map((a) => a.name))].sort();
  return { apps: apps.filter((a) => !a.environment || a.environment === env), skipped };
}
