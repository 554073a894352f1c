import { createHash } from 'node:crypto';
import type { LoadedKubeconfig } from '../kubeconfig.js';
import { ClientCertificate } from './client-certificate.js';
import { execTokenSource } from './exec-source.js';
import { authProviderSource } from './provider-source.js';
import { basicAuthSource, staticTokenSource } from './static-sources.js';
import { tokenFileSource } from './token-file-source.js';
import type { Credential, CredentialSource, TokenPart, TokenSource } from './types.js';

export type { Credential, CredentialSource } from './types.js';

/**
 * Where a user's token comes from, first match wins: an exec plugin, an auth-provider (the
 * in-cluster service account's is a token file), a token file, a token, a password. A client
 * certificate may come with any of them.
 */
function tokenSourceOf(kube: LoadedKubeconfig): TokenSource | undefined {
  const { user, kc } = kube;
  const provider = user.authProvider as { name?: string; config?: { tokenFile?: string } } | null | undefined;
  if (user.exec) return execTokenSource(user.exec, kube.dir ? { dir: kube.dir } : {});
  if (provider?.config?.tokenFile) return tokenFileSource(provider.config.tokenFile);
  if (provider) return authProviderSource(kc, provider.name ?? 'unnamed');
  if (kube.tokenFile) return tokenFileSource(kube.tokenFile);
  if (user.token) return staticTokenSource(user.token);
  if (user.username) return basicAuthSource(user.username, user.password ?? '');
  return undefined;
}

const digest = (...parts: Array<string | Buffer | undefined>): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p ?? '').update('\0');
  return h.digest('hex');
};

/** The credentials of the kubeconfig's current user, looked up per request (see CredentialSource). */
export async function credentialSource(kube: LoadedKubeconfig): Promise<CredentialSource> {
  const tokens = tokenSourceOf(kube);
  const certificate = await ClientCertificate.load(kube.user);
  const impersonate: Record<string, string> = kube.user.impersonateUser ? { 'Impersonate-User': kube.user.impersonateUser } : {};
  const build = (part: TokenPart | undefined): Credential => {
    const cert = part?.cert ?? certificate?.current.cert;
    const key = part?.key ?? certificate?.current.key;
    const headers = { ...impersonate, ...(part?.authorization ? { Authorization: part.authorization } : {}) };
    const tlsId = cert && key ? digest(cert, key) : '';
    return { headers, ...(cert && key ? { cert, key } : {}), tlsId, id: digest(headers.Authorization, tlsId) };
  };
  // The token part each credential was built from, so that renew() can tell the source which one failed.
  const parts = new WeakMap<Credential, TokenPart>();
  const make = (part: TokenPart | undefined): Credential => {
    const c = build(part);
    if (part) parts.set(c, part);
    return c;
  };
  return {
    kind: tokens?.kind ?? (certificate ? 'client-certificate' : 'none'),
    current: async () => make(await tokens?.current()),
    async renew(refused) {
      const refusedPart = parts.get(refused);
      const part = tokens && refusedPart ? await tokens.renew(refusedPart) : undefined;
      const certChanged = certificate && !part?.cert ? await certificate.reread() : false;
      if (!part && !certChanged) return undefined;
      const fresh = make(part ?? refusedPart);
      return fresh.id === refused.id ? undefined : fresh;
    },
    advice:
      tokens?.advice ??
      (certificate ? 'the client certificate was refused (expired, or not signed by a CA the API server trusts)' : 'the kubeconfig user has no credentials'),
  };
}
