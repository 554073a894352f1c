import type { CompiledApp } from '../compile.js';
import { appKey } from '../environments/app-key.js';
import { connect, KubeconfigError, type ConnectOptions } from '../cluster/http-client.js';
import type { ClusterClient } from '../cluster/types.js';
import { KubeminError } from '../errors/kubemin-error.js';

const SHOWN = 6;

/** The apps that go to one kubeconfig context (`undefined`: the kubeconfig's current one). */
export interface ClusterTarget {
  readonly context: string | undefined;
  readonly apps: CompiledApp[];
}

export interface TargetOptions {
  /** `--context`: every app goes there. */
  readonly context?: string;
  /** The command's verb, for the refusal: `apply`, `diff`. */
  readonly verb: string;
}

/**
 * Where diff and apply send each app: `--context` when given, else the context its environment
 * names (`cluster`), else the current one. One environment may span clusters (its apps name
 * theirs); several environments in one command may not, as one `kubemin apply` would then deploy
 * dev, staging and production at once: that is refused, asking for `--env`. So is `--context`
 * over environments that name different clusters (their objects, meant for different clusters,
 * would meet in one). Targets come in the order of their first app.
 */
export function clusterTargets(apps: readonly CompiledApp[], opts: TargetOptions): ClusterTarget[] {
  const environments = [...new Set(apps.flatMap((a) => (a.environment ? [a.environment] : [])))].sort();
  const several = environments.length > 1;
  const advice = `${opts.verb} one environment at a time with --env NAME (${environments.join(', ')})`;
  if (opts.context !== undefined) {
    const named = [...new Set(apps.flatMap((a) => (a.cluster ? [a.cluster] : [])))].sort();
    if (several && named.length > 1) {
      throw new KubeminError(
        `--context ${opts.context} would put environments meant for different clusters (${named.map((c) => `"${c}"`).join(', ')}) into one: ${advice}`,
      );
    }
    return apps.length ? [{ context: opts.context, apps: [...apps] }] : [];
  }
  const targets = new Map<string | undefined, CompiledApp[]>();
  for (const app of apps) {
    const group = targets.get(app.cluster) ?? [];
    group.push(app);
    targets.set(app.cluster, group);
  }
  if (several && targets.size > 1) {
    const where = apps.map((a) => `${appKey(a)} to ${a.cluster ? `context "${a.cluster}"` : 'the current context'}`);
    const shown = where.length > SHOWN ? [...where.slice(0, SHOWN), `and ${where.length - SHOWN} more`] : where;
    throw new KubeminError(`these applications go to different clusters: ${shown.join(', ')}; ${advice}`);
  }
  return [...targets].map(([context, group]) => ({ context, apps: group }));
}

/**
 * A client per target, all made before anything is sent (a context missing from the kubeconfig
 * stops the command before any cluster is changed); closed by `close`.
 */
export async function connectTargets(targets: readonly ClusterTarget[], opts: ConnectOptions): Promise<{ clients: ClusterClient[]; close: () => void }> {
  const clients: ClusterClient[] = [];
  const close = (): void => clients.forEach((c) => c.close());
  try {
    for (const t of targets) {
      try {
        clients.push(await connect({ ...opts, ...(t.context !== undefined ? { context: t.context } : {}) }));
      } catch (err) {
        if (!(err instanceof KubeconfigError) || opts.context !== undefined || t.context === undefined) throw err;
        const envs = [...new Set(t.apps.map((a) => a.environment))].join('", "');
        throw new KubeconfigError(
          `environment "${envs}" names cluster "${t.context}" (its kubeconfig context): ${err.message}; give --context to use another`,
          { cause: err },
        );
      }
    }
  } catch (err) {
    close();
    throw err;
  }
  return { clients, close };
}
