import { GitError, GitPushError } from './git-error.js';

export interface RetryOptions {
  /** How many attempts in all (at least 1). */
  readonly attempts: number;
  /** The delay after the first failed attempt, doubled after each further one, with jitter (x0.5 to x1.5). */
  readonly backoffMs: number;
  /** What is being retried, for the final error. */
  readonly what: string;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** What one attempt did: a value, or a GitError worth another attempt. Anything thrown is not retried. */
export type AttemptResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: GitError };

/**
 * Calls `attempt(1)`, `attempt(2)`, ... until one succeeds, sleeping between them; throws
 * GitPushError with the number of attempts and the last error when none did.
 */
export async function retry<T>(opts: RetryOptions, attempt: (n: number) => Promise<AttemptResult<T>>): Promise<{ value: T; attempts: number }> {
  const attempts = Math.max(1, Math.floor(opts.attempts));
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = opts.random ?? Math.random;
  let last: GitError | undefined;
  for (let n = 1; n <= attempts; n++) {
    if (n > 1) await sleep(opts.backoffMs * 2 ** (n - 2) * (0.5 + random()));
    const result = await attempt(n);
    if (result.ok) return { value: result.value, attempts: n };
    last = result.error;
  }
  throw new GitPushError(attempts, `${opts.what}: failed ${attempts} times; last: ${last?.message ?? 'unknown error'}`);
}
