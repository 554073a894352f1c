import { CachedValue } from './cached-value.js';
import { runExecPlugin, type ExecConfig } from './exec-plugin.js';
import type { TokenPart, TokenSource } from './types.js';

/**
 * An exec credential plugin (EKS, GKE, AKS, OIDC login helpers...): run on the first request,
 * its credential kept until its expirationTimestamp (without one, until the API server refuses
 * it, as client-go does), run again then. One run at a time, whatever the number of requests; after
 * a failure, not again for 2 s.
 */
/** A plugin that failed is not run again for this long: its error is given to the requests meanwhile. */
const FAILURE_MS = 2_000;

export function execTokenSource(exec: ExecConfig, opts: { dir?: string; now?: () => number } = {}): TokenSource {
  const cache = new CachedValue<TokenPart>(
    async () => {
      const status = await runExecPlugin(exec, opts.dir ? { dir: opts.dir } : {});
      const part: TokenPart = {
        ...(status.token ? { authorization: `Bearer ${status.token}` } : {}),
        ...(status.cert ? { cert: status.cert } : {}),
        ...(status.key ? { key: status.key } : {}),
      };
      return { value: part, expiresAt: status.expiresAt };
    },
    opts.now,
    FAILURE_MS,
  );
  return {
    kind: 'exec',
    current: () => cache.get(),
    renew: (refused) => cache.renew(refused, sameToken),
    advice: `the exec plugin "${exec.command}" gave no other credential: check that it can log in (run it by hand)`,
  };
}

export function sameToken(a: TokenPart, b: TokenPart): boolean {
  return a.authorization === b.authorization && a.cert === b.cert && a.key === b.key;
}
