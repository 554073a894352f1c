import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { connect, type ConnectOptions } from '../../src/cluster/http-client.js';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { ClusterError, type ClusterClient } from '../../src/cluster/types.js';
import { type ObjectRef } from '../../src/k8s/object-ref.js';
import { tempDir } from '../helpers/cli.js';
import { testCluster } from './cluster.js';
import { serviceAccountTokens, writeExecPlugin, writeKubeconfig } from './tokens.js';

/**
 * Credentials are looked up per request and renewed when the real API server refuses them: an
 * exec plugin's token, a kubeconfig's tokenFile, a pod's service account token. The tokens are
 * real (TokenRequest, bound to a Secret) and revoked for real (the Secret deleted): nothing here
 * fakes a 401.
 */

const cluster = testCluster();

async function client(opts: ConnectOptions): Promise<ClusterClient> {
  const c = await connect(opts);
  onTestFinished(() => c.close());
  return c;
}

/** A ConfigMap every namespace has: something to GET. */
const rootCa = (ns: string): ObjectRef => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'kube-root-ca.crt' });

/** Requests sent by `fn`: what the client counts. */
async function requestsOf(c: ClusterClient, fn: () => Promise<unknown>): Promise<number> {
  const before = c.requests;
  await fn();
  return c.requests - before;
}

describe('authentication per request', { timeout: 120_000 }, () => {
  it('an exec plugin runs once, its token is used until the API server refuses it, then the plugin runs again and the request is sent once more', async () => {
    const ns = await cluster.newNamespace('auth-exec');
    const tokens = await serviceAccountTokens(cluster, ns);
    const dir = tempDir('kubemin-auth-');
    const plugin = writeExecPlugin(dir);
    const first = await tokens.mint('first');
    writeFileSync(join(dir, 'token'), first);
    const kubeconfig = writeKubeconfig(
      join(dir, 'kubeconfig'),
      tokens,
      { name: 'deployer', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin.script, interactiveMode: 'Never' } } },
      { context: 'exec-ctx' },
    );
    const c = await client({ kubeconfig });
    expect(plugin.runs()).toBe(0); // nothing runs before the first request

    expect(await requestsOf(c, () => c.get(rootCa(ns)))).toBe(2); // discovery of v1, then the GET
    expect(await requestsOf(c, () => c.get(rootCa(ns)))).toBe(1);
    expect(plugin.runs()).toBe(1); // no expirationTimestamp: kept until refused

    // The plugin now has a new token (as EKS's would, 15 minutes on); the old one is revoked. Six
    // requests at once are each refused once and sent again (12 requests), and share one run of the plugin.
    const second = await tokens.mint('second');
    writeFileSync(join(dir, 'token'), second);
    await tokens.revoke('first', first);
    let live: unknown[] = [];
    expect(await requestsOf(c, async () => void (live = await Promise.all(Array.from({ length: 6 }, () => c.get(rootCa(ns))))))).toBe(12);
    expect(live).toHaveLength(6);
    for (const o of live) expect(o).toMatchObject({ metadata: { name: 'kube-root-ca.crt' } });
    expect(plugin.runs()).toBe(2);
    expect(await requestsOf(c, () => c.get(rootCa(ns)))).toBe(1);
    expect(plugin.runs()).toBe(2);

    // Revoked, and the plugin has nothing better: one clear error, no loop.
    await tokens.revoke('second', second);
    let error: unknown;
    expect(await requestsOf(c, () => c.get(rootCa(ns)).catch((e: unknown) => void (error = e)))).toBe(1);
    expect(plugin.runs()).toBe(3); // asked once more; it gave the same token
    expect(error).toBeInstanceOf(ClusterError);
    expect((error as ClusterError).reason).toBe('Unauthorized');
    expect((error as ClusterError).message).toBe(
      `the API server at ${new URL(tokens.server).origin} refused the credentials of user "deployer" (context "exec-ctx") (401 Unauthorized): the exec plugin "${plugin.script}" gave no other credential: check that it can log in (run it by hand)`,
    );
    for (const t of [first, second]) expect((error as Error).message).not.toContain(t);
  });

  it("an exec plugin's credential is kept until its expirationTimestamp, and the plugin runs again once it passed", async () => {
    const ns = await cluster.newNamespace('auth-expiry');
    const tokens = await serviceAccountTokens(cluster, ns);
    const dir = tempDir('kubemin-auth-');
    const plugin = writeExecPlugin(dir);
    writeFileSync(join(dir, 'token'), await tokens.mint('valid'));
    const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), tokens, {
      name: 'deployer',
      user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin.script, interactiveMode: 'Never' } },
    });
    const c = await client({ kubeconfig });
    // Already expired when printed: every request asks again (as client-go would).
    writeFileSync(join(dir, 'expiry'), new Date(Date.now() - 60_000).toISOString());
    await c.get(rootCa(ns));
    await c.get(rootCa(ns));
    expect(c.requests).toBe(3); // discovery, and the two GETs
    expect(plugin.runs()).toBe(3);
    // Valid for an hour: asked once more, then kept.
    writeFileSync(join(dir, 'expiry'), new Date(Date.now() + 3_600_000).toISOString());
    for (let i = 0; i < 3; i++) await c.get(rootCa(ns));
    expect(plugin.runs()).toBe(4);
  });

  it("an exec plugin that fails is one error naming the user, the context and the plugin's own message", async () => {
    const ns = await cluster.newNamespace('auth-fail');
    const tokens = await serviceAccountTokens(cluster, ns);
    const dir = tempDir('kubemin-auth-');
    const plugin = writeExecPlugin(dir);
    writeFileSync(join(dir, 'fail'), 'session expired, run aws sso login');
    const kubeconfig = writeKubeconfig(
      join(dir, 'kubeconfig'),
      tokens,
      { name: 'deployer', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin.script, interactiveMode: 'Never' } } },
      { context: 'eks' },
    );
    const c = await client({ kubeconfig });
    const error = await c.get(rootCa(ns)).then(
      () => undefined,
      (e: unknown) => e as ClusterError,
    );
    expect(error?.reason).toBe('Unauthorized');
    expect(error?.message).toBe(
      `cannot get credentials for user "deployer" (context "eks"): exec plugin "${plugin.script}" exited with code 1: plugin: cannot log in: session expired, run aws sso login`,
    );
    expect(c.requests).toBe(0);
  });

  it("a kubeconfig tokenFile, and a pod's service account token, are read again when the API server refuses the token held: rotated files are followed", async () => {
    // Both at once: most of the time is the API server's token cache letting revoked tokens go.
    await Promise.all(
      (['a kubeconfig tokenFile', "a pod's service account token"] as const).map(async (where) => {
        const ns = await cluster.newNamespace('auth-file');
        const tokens = await serviceAccountTokens(cluster, ns);
        const dir = tempDir('kubemin-auth-');
        let tokenFile: string;
        let opts: ConnectOptions;
        if (where === 'a kubeconfig tokenFile') {
          tokenFile = join(dir, 'token');
          opts = { kubeconfig: writeKubeconfig(join(dir, 'kubeconfig'), tokens, { name: 'deployer', user: { tokenFile: 'token' } }, { context: 'file-ctx' }) };
        } else {
          // As a pod sees it: /var/run/secrets/kubernetes.io/serviceaccount/{token,ca.crt,namespace} and the service's address.
          const sa = join(dir, 'var/run/secrets/kubernetes.io/serviceaccount');
          mkdirSync(sa, { recursive: true });
          tokenFile = join(sa, 'token');
          writeFileSync(join(sa, 'ca.crt'), Buffer.from(tokens.caData, 'base64'));
          writeFileSync(join(sa, 'namespace'), ns);
          const url = new URL(tokens.server);
          const env = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
          process.env.KUBERNETES_SERVICE_HOST = url.hostname;
          process.env.KUBERNETES_SERVICE_PORT = url.port;
          onTestFinished(() => {
            for (const [k, v] of [
              ['KUBERNETES_SERVICE_HOST', env.host],
              ['KUBERNETES_SERVICE_PORT', env.port],
            ] as const) {
              if (v === undefined) delete process.env[k];
              else process.env[k] = v;
            }
          });
          opts = { inClusterRoot: dir };
          expect(loadKubeconfig(opts)).toMatchObject({ inCluster: true, namespace: ns, tokenFile }); // the pod's namespace: the daemon's default lease namespace
        }
        const first = await tokens.mint('first');
        writeFileSync(tokenFile, first);
        const c = await client(opts);
        expect(await requestsOf(c, () => c.get(rootCa(ns)))).toBe(2); // discovery of v1, then the GET

        // The kubelet (or whoever) rotates the file, and the old token is revoked well within the minute the file is kept.
        const second = await tokens.mint('second');
        writeFileSync(`${tokenFile}.new`, second);
        renameSync(`${tokenFile}.new`, tokenFile);
        await tokens.revoke('first', first);
        expect(await requestsOf(c, () => c.get(rootCa(ns)))).toBe(2);
        expect(await requestsOf(c, () => c.get(rootCa(ns)))).toBe(1);

        // Revoked and not rotated: one request, one error saying whose token and which file.
        await tokens.revoke('second', second);
        const error = await c.get(rootCa(ns)).then(
          () => undefined,
          (e: unknown) => e as ClusterError,
        );
        const who = where === 'a kubeconfig tokenFile' ? 'user "deployer" (context "file-ctx")' : `the pod's service account (${tokenFile})`;
        expect(error?.message).toBe(
          `the API server at ${new URL(tokens.server).origin} refused the credentials of ${who} (401 Unauthorized): the token in ${tokenFile} was refused and the file holds no other`,
        );
        expect(error?.message).not.toContain(second);
      }),
    );
  });
});
