import { KubeminError } from '../../errors/kubemin-error.js';

/** A git command that failed: what was being done and git's stderr, with every credential redacted. */
export class GitError extends KubeminError {
  override readonly name: string = 'GitError';
}

/** A commit that could not be pushed, after `attempts` tries; the message holds the last git error. */
export class GitPushError extends GitError {
  override readonly name: string = 'GitPushError';
  constructor(
    readonly attempts: number,
    message: string,
  ) {
    super(message);
  }
}

const REDACTED = '***';

/**
 * Replaces every secret in `text` by `***`. Longer secrets first, so that a secret that contains
 * another (a URL's userinfo holding the token) is hidden whole. Empty secrets are ignored.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join(REDACTED);
  }
  return out;
}
