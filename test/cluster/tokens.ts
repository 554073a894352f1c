import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { TestCluster } from './cluster.js';

/**
 * Bearer tokens the real API server accepts and that a test can revoke: a ServiceAccount with
 * every right in one namespace, and tokens from the TokenRequest API bound to a Secret each
 * (`kubectl create token --bound-object-kind Secret`). Deleting the Secret revokes its token: the
 * API server refuses it once its token cache (10 s) has let go of it, which revoke() waits for.
 */
export interface Tokens {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The API server's URL and CA, from the admin kubeconfig. */
  readonly server: string;
  readonly caData: string;
  /** A new token, bound to a new Secret named `name`. */
  mint(name: string): Promise<string>;
  /** Deletes the Secret `name` and waits until the API server refuses its token. */
  revoke(name: string, token: string): Promise<void>;
  /** The HTTP status of a request with this token alone (200 while it is valid, 401 once revoked). */
  statusWith(token: string): Promise<number>;
}

export async function serviceAccountTokens(cluster: TestCluster, namespace: string, serviceAccount = 'deployer'): Promise<Tokens> {
  const admin = yaml.load(readFileSync(cluster.kubeconfig, 'utf8')) as {
    clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
  };
  const { server, 'certificate-authority-data': caData } = admin.clusters[0]!.cluster;
  await cluster.kubectl(['-n', namespace, 'create', 'serviceaccount', serviceAccount]);
  await cluster.kubectl(['-n', namespace, 'create', 'role', 'everything', '--verb=*', '--resource=*.*']);
  await cluster.kubectl(['-n', namespace, 'create', 'rolebinding', 'everything', '--role=everything', `--serviceaccount=${namespace}:${serviceAccount}`]);

  const statusWith = (token: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(
        new URL(`/api/v1/namespaces/${namespace}/configmaps?limit=1`, server),
        { ca: Buffer.from(caData, 'base64'), headers: { Authorization: `Bearer ${token}` }, agent: false },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end();
    });

  return {
    namespace,
    serviceAccount,
    server,
    caData,
    statusWith,
    async mint(name) {
      await cluster.kubectl(['-n', namespace, 'create', 'secret', 'generic', name]);
      return (
        await cluster.kubectl([
          '-n',
          namespace,
          'create',
          'token',
          serviceAccount,
          '--bound-object-kind',
          'Secret',
          '--bound-object-name',
          name,
          '--duration',
          '1h',
        ])
      ).trim();
    },
    async revoke(name, token) {
      await cluster.kubectl(['-n', namespace, 'delete', 'secret', name]);
      for (let i = 0; i < 150; i++) {
        if ((await statusWith(token)) === 401) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`the API server still accepts the token bound to Secret ${namespace}/${name} 30 s after the Secret was deleted`);
    },
  };
}

/**
 * An exec credential plugin in `dir` (a shell script, as kubectl runs them): prints an
 * ExecCredential (client.authentication.k8s.io/v1) with the token in `dir/token`, and the
 * expirationTimestamp in `dir/expiry` when that file exists; appends a line to `dir/runs` each
 * time it runs; with `dir/fail`, exits 1 saying so on stderr.
 */
export function writeExecPlugin(dir: string): { script: string; runs(): number } {
  const script = join(dir, 'credential-plugin.sh');
  writeFileSync(
    script,
    `#!/bin/sh
d="${dir}"
echo run >> "$d/runs"
if [ -f "$d/fail" ]; then echo "plugin: cannot log in: $(cat "$d/fail")" >&2; exit 1; fi
exp=""
if [ -f "$d/expiry" ]; then exp=",\\"expirationTimestamp\\":\\"$(cat "$d/expiry")\\""; fi
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"%s}}\\n' "$(cat "$d/token")" "$exp"
`,
  );
  chmodSync(script, 0o755);
  const runs = (): number => {
    try {
      return readFileSync(join(dir, 'runs'), 'utf8').split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  };
  return { script, runs };
}

/** A kubeconfig with one user and one context (`namespace` optional), written to `file`. */
export function writeKubeconfig(
  file: string,
  t: Pick<Tokens, 'server' | 'caData'>,
  user: { name: string; user: Record<string, unknown> },
  opts: { context?: string; namespace?: string } = {},
): string {
  const context = opts.context ?? user.name;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster: { server: t.server, 'certificate-authority-data': t.caData } }],
    users: [user],
    contexts: [{ name: context, context: { cluster: 'test', user: user.name, ...(opts.namespace ? { namespace: opts.namespace } : {}) } }],
    'current-context': context,
  };
  writeFileSync(file, yaml.dump(config));
  return file;
}
