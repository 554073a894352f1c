import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../cluster/http-client.js';
import { SERVICE_ACCOUNT_DIR } from '../cluster/kubeconfig.js';
import type { ServerVersion } from '../cluster/types.js';
import { KubeminError } from '../errors/kubemin-error.js';

export interface VersionOptions {
  /** kubemin's own version (package.json). */
  readonly clientVersion: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Only the client's version, even with a kubeconfig. */
  readonly clientOnly?: boolean;
}

export interface VersionResult {
  readonly clientVersion: { readonly gitVersion: string };
  /** The API server's (GET /version); absent without a kubeconfig, or with clientOnly. */
  readonly serverVersion?: ServerVersion;
  /** Why the server's version is missing though a kubeconfig was given or found: it cannot be loaded, or the server reached. */
  readonly serverError?: KubeminError;
}

/** A kubeconfig is given or found where loadKubeconfig looks: --kubeconfig, KUBECONFIG, ~/.kube/config, a pod's service account. */
function kubeconfigFound(opts: VersionOptions): boolean {
  return Boolean(opts.kubeconfig || process.env.KUBECONFIG || existsSync(join(homedir(), '.kube', 'config')) || existsSync(`${SERVICE_ACCOUNT_DIR}/token`));
}

/**
 * `kubemin version`: the client's version, and the API server's when a kubeconfig is given or
 * found (as `kubectl version`). A kubeconfig that cannot be used, or a server that cannot be
 * reached, is `serverError`: the client's version is known all the same.
 */
export async function version(opts: VersionOptions): Promise<VersionResult> {
  const clientVersion = { gitVersion: opts.clientVersion };
  if (opts.clientOnly || (!opts.context && !kubeconfigFound(opts))) return { clientVersion };
  try {
    const client = await connect({
      ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
      ...(opts.context ? { context: opts.context } : {}),
    });
    try {
      return { clientVersion, serverVersion: await client.serverVersion!() };
    } finally {
      client.close();
    }
  } catch (err) {
    if (err instanceof KubeminError) return { clientVersion, serverError: err };
    throw err;
  }
}
