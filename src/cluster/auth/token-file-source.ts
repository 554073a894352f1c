import { readFile } from 'node:fs/promises';
import { CachedValue } from './cached-value.js';
import { sameToken } from './exec-source.js';
import type { TokenPart, TokenSource } from './types.js';

/** How long a token read from a file is used before the file is read again (client-go's period). */
const TOKEN_FILE_PERIOD_MS = 60_000;

/**
 * A bearer token in a file that something else rotates: a pod's projected service account token
 * (the kubelet replaces it well before it expires), a kubeconfig's `tokenFile`. Read again every
 * minute, and at once when the API server refuses the token.
 */
export function tokenFileSource(path: string, opts: { now?: () => number } = {}): TokenSource {
  const now = opts.now ?? Date.now;
  const cache = new CachedValue<TokenPart>(async () => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new Error(`cannot read the token file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
    }
    const token = text.trim();
    if (!token) throw new Error(`the token file ${path} is empty`);
    return { value: { authorization: `Bearer ${token}` }, expiresAt: now() + TOKEN_FILE_PERIOD_MS };
  }, now);
  return {
    kind: 'token-file',
    current: () => cache.get(),
    renew: (refused) => cache.renew(refused, sameToken),
    advice: `the token in ${path} was refused and the file holds no other`,
  };
}
