import type { TokenPart, TokenSource } from './types.js';

/** A token written in the kubeconfig (`token`): refused once, refused for good. */
export function staticTokenSource(token: string): TokenSource {
  const part: TokenPart = { authorization: `Bearer ${token.trim()}` };
  return { kind: 'token', current: async () => part, renew: async () => undefined, advice: "the kubeconfig's token was refused: replace it with a valid one" };
}

/** `username` and `password` (basic authentication, which Kubernetes no longer offers itself). */
export function basicAuthSource(username: string, password: string): TokenSource {
  const part: TokenPart = { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
  return { kind: 'basic', current: async () => part, renew: async () => undefined, advice: `the password of "${username}" was refused` };
}
