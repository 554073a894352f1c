import type { KubeConfig } from '@kubernetes/client-node';
import type { TokenPart, TokenSource } from './types.js';

/**
 * An `auth-provider` (oidc, azure, gcp, or one added to client-node): client-node's own
 * authenticator, asked before every request; it keeps the token and refreshes it when it expires.
 */
export function authProviderSource(kc: KubeConfig, provider: string): TokenSource {
  const current = async (): Promise<TokenPart> => {
    const opts: { headers: Record<string, string>; auth?: string } = { headers: {} };
    await kc.applyToHTTPSOptions(opts);
    const authorization = opts.headers.Authorization ?? opts.headers.authorization;
    return authorization ? { authorization } : {};
  };
  return {
    kind: 'auth-provider',
    current,
    async renew(refused) {
      const next = await current();
      return next.authorization && next.authorization !== refused.authorization ? next : undefined;
    },
    advice: `the auth-provider "${provider}" gave no other token: log in again (e.g. kubectl oidc-login) to refresh it`,
  };
}
