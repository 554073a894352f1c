import { CommanderError } from 'commander';
import { EXIT, KubeminError } from '../errors/kubemin-error.js';
import { describeSystemError, isSystemError } from '../errors/system-error.js';

export interface ReportedFailure {
  /** What stderr gets, ending with a newline. */
  readonly text: string;
  readonly exitCode: number;
}

/** `err.stack` (or its message), then each `cause` in turn, as Node prints a chain. */
function stackWithCauses(err: unknown): string {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  for (let e: unknown = err, first = true; e !== undefined && !seen.has(e); e = (e as { cause?: unknown } | null)?.cause, first = false) {
    seen.add(e);
    const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
    lines.push(first ? text : `caused by: ${text}`);
  }
  return lines.join('\n');
}

/**
 * The CLI's one formatter of what a command threw. A KubeminError (a mistake of the user or of the
 * environment) and a failed system call are one line, `kubemin: <message>`, with the error's exit
 * code and never a stack trace (with `debug`, KUBEMIN_DEBUG=1, the stack and the causes follow).
 * Anything else is a bug in kubemin: it says so, with its stack and the causes.
 */
export function reportFailure(err: unknown, opts: { readonly debug: boolean }): ReportedFailure {
  if (err instanceof CommanderError) return { text: '', exitCode: err.exitCode === 0 ? EXIT.ok : EXIT.error };
  const trace = opts.debug ? `${stackWithCauses(err)}\n` : '';
  if (err instanceof KubeminError) return { text: `kubemin: ${err.message}\n${trace}`, exitCode: err.exitCode };
  if (isSystemError(err)) return { text: `kubemin: ${describeSystemError(err)}\n${trace}`, exitCode: EXIT.error };
  const message = err instanceof Error ? err.message : String(err);
  return {
    text: `kubemin: internal error: ${message.split('\n')[0]}: a bug in kubemin, please report it with the command that caused it and this trace:\n${stackWithCauses(err)}\n`,
    exitCode: EXIT.error,
  };
}
