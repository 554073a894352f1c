/**
 * Process exit codes, as kubectl diff uses them: 0 clean, 1 problems (invalid input, differences,
 * a failed phase), 2 usage or environment, 130 interrupted (Ctrl-C at a question).
 */
export const EXIT = { ok: 0, problems: 1, error: 2, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface KubeminErrorOptions extends ErrorOptions {
  /** Default: 2 (usage or environment). */
  readonly exitCode?: ExitCode;
}

/**
 * The one base of every error a user can fix: a path, a kubeconfig, a lock, a git remote, a plugin
 * config, the cluster's answer about one object. Its message says what is wrong and how to fix it,
 * in one line; the CLI's one formatter (src/cli/report-failure.ts) prints it as `kubemin: <message>`
 * with its exit code, never with a stack trace. An error it wraps stays its `cause`.
 * Any other error reaching the CLI is a bug in kubemin, and is printed with its stack.
 */
export class KubeminError extends Error {
  override readonly name: string = 'KubeminError';
  readonly exitCode: ExitCode;
  constructor(message: string, options: KubeminErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.exitCode = options.exitCode ?? EXIT.error;
  }
}
