import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { KubeConfig, type User } from '@kubernetes/client-node';
import { load } from 'js-yaml';
import { KubeminError } from '../errors/kubemin-error.js';

/** A kubeconfig that cannot be used: missing, unreadable, or without the context asked for. */
export class KubeconfigError extends KubeminError {
  override readonly name = 'KubeconfigError';
}

export interface KubeconfigOptions {
  /** Path of a kubeconfig; default: KUBECONFIG, then ~/.kube/config, then (in a pod) its service account. */
  readonly kubeconfig?: string;
  readonly context?: string;
  /**
   * Use the pod's service account, as in a pod without a kubeconfig, with its files under this
   * path prefix instead of `/` (`<prefix>/var/run/secrets/kubernetes.io/serviceaccount/`): for tests.
   */
  readonly inClusterRoot?: string;
}

/** Where a pod's service account token, CA and namespace are mounted. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The current context of a kubeconfig, resolved: what a client needs to connect and authenticate. */
export interface LoadedKubeconfig {
  readonly kc: KubeConfig;
  readonly server: URL;
  /** The context's name (for errors: "user X in context Y"). */
  readonly context: string;
  readonly user: User;
  /**
   * The user's `tokenFile` (kubectl's field, which client-node ignores), absolute; in a pod, the
   * service account's token. Read again whenever it may have been rotated.
   */
  readonly tokenFile?: string;
  /** Directory of the kubeconfig file the user came from, for relative exec plugin commands. */
  readonly dir?: string;
  /** The context's namespace; in a pod without a kubeconfig, the pod's own (or POD_NAMESPACE). */
  readonly namespace?: string;
  readonly inCluster: boolean;
}

/** Loads a kubeconfig as kubectl finds it, without contacting anything or running any plugin. */
export function loadKubeconfig(opts: KubeconfigOptions = {}): LoadedKubeconfig {
  const kc = new KubeConfig();
  const files = opts.kubeconfig ? [opts.kubeconfig] : (process.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  const homeConfig = join(homedir(), '.kube', 'config');
  if (!files.length && opts.inClusterRoot === undefined && existsSync(homeConfig)) files.push(homeConfig);
  const tokenPath = `${opts.inClusterRoot ?? ''}${SERVICE_ACCOUNT_DIR}/token`;
  const inCluster = opts.inClusterRoot !== undefined || (!files.length && existsSync(tokenPath));
  try {
    if (inCluster) {
      if (!process.env.KUBERNETES_SERVICE_HOST || !process.env.KUBERNETES_SERVICE_PORT) {
        throw new KubeconfigError(`no kubeconfig, and this pod's environment has no KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT: give --kubeconfig`);
      }
      kc.loadFromCluster(opts.inClusterRoot ?? '');
    } else if (opts.kubeconfig) {
      kc.loadFromFile(opts.kubeconfig);
    } else if (files.length) {
      kc.loadFromDefault();
    } else {
      throw new KubeconfigError(
        `no kubeconfig: KUBECONFIG is not set, ${homeConfig} does not exist, and this is not a pod with a service account: give --kubeconfig`,
      );
    }
    if (opts.context) kc.setCurrentContext(opts.context);
  } catch (err) {
    if (err instanceof KubeconfigError) throw err;
    throw new KubeconfigError(`cannot load kubeconfig${opts.kubeconfig ? ` ${opts.kubeconfig}` : ''}: ${(err as Error).message}`, { cause: err });
  }
  if (opts.context && !kc.getContextObject(opts.context)) throw new KubeconfigError(`no context "${opts.context}" in the kubeconfig`);
  const context = kc.getCurrentContext();
  const contextObject = kc.getContextObject(context);
  const cluster = kc.getCurrentCluster();
  if (!contextObject || !cluster) throw new KubeconfigError('the kubeconfig has no current context with a cluster (set one with --context)');
  const user = kc.getCurrentUser() ?? { name: contextObject.user };
  let server: URL;
  try {
    server = new URL(cluster.server);
  } catch {
    throw new KubeconfigError(`cluster "${cluster.name}" in the kubeconfig: server "${cluster.server}" is not a URL`);
  }
  const found = inCluster ? { tokenFile: tokenPath, dir: undefined } : rawUser(files, user.name);
  const namespace = inCluster ? podNamespace(opts.inClusterRoot ?? '') : contextObject.namespace;
  return {
    kc,
    server,
    context,
    user,
    ...(found.tokenFile ? { tokenFile: found.tokenFile } : {}),
    ...(found.dir ? { dir: found.dir } : {}),
    ...(namespace ? { namespace } : {}),
    inCluster,
  };
}

/** The pod's namespace: its service account's namespace file, else POD_NAMESPACE (the downward API). */
function podNamespace(root: string): string | undefined {
  try {
    const ns = readFileSync(`${root}${SERVICE_ACCOUNT_DIR}/namespace`, 'utf8').trim();
    if (ns) return ns;
  } catch {
    // not mounted: fall back to the environment
  }
  return process.env.POD_NAMESPACE?.trim() || undefined;
}

/**
 * The user's `tokenFile` and the directory of the file that defines the user (the first file that
 * does, as kubectl merges them). client-node reads neither.
 */
function rawUser(files: readonly string[], name: string): { tokenFile?: string; dir?: string } {
  for (const file of files) {
    let doc: unknown;
    try {
      doc = load(readFileSync(file, 'utf8'));
    } catch {
      continue; // client-node read it; whatever it could not, it reported
    }
    const users = (doc as { users?: unknown } | undefined)?.users;
    if (!Array.isArray(users)) continue;
    const entry = users.find((u: unknown) => (u as { name?: unknown } | null)?.name === name) as { user?: { tokenFile?: unknown } } | undefined;
    if (!entry) continue;
    const dir = dirname(resolve(file));
    const tokenFile = entry.user?.tokenFile;
    return typeof tokenFile === 'string' && tokenFile ? { tokenFile: isAbsolute(tokenFile) ? tokenFile : join(dir, tokenFile), dir } : { dir };
  }
  return {};
}
