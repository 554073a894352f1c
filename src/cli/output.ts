import type { CompileResult } from '../compile.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { EXIT } from '../errors/kubemin-error.js';
import { formatGithub } from '../diagnostics/format-github.js';
import { formatJson } from '../diagnostics/format-json.js';
import { formatText } from '../diagnostics/format-text.js';
import type { SourceSet } from '../load/source-set.js';
import type { Redactor, SecretSink } from '../secrets/redactor.js';
import { colorFor } from './color.js';
import { reportSkipped } from './env-option.js';

export type DiagnosticFormat = 'text' | 'json' | 'github';
export const DIAGNOSTIC_FORMATS: readonly DiagnosticFormat[] = ['text', 'json', 'github'];

export { EXIT };

export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** Colour on stderr (diagnostics, messages): see color.ts. */
  readonly color: boolean;
  /** Colour on stdout (diffs, results), decided apart from stderr's: `kubemin diff > file` writes none. Default: none. */
  readonly stdoutColor?: boolean;
  /** stdout is a terminal: progress may redraw its line. */
  readonly interactive?: boolean;
  /** stderr is a terminal: progress may be shown there (kubemin diff). */
  readonly stderrInteractive?: boolean;
  /**
   * Writes the command's product to stdout as it is: a manifest stream or a converted spec, which
   * hold secret values by design. Everything else goes through stdout and stderr. Default: stdout.
   */
  readonly product?: (s: string) => void;
  /** Where a command registers the secret values it meets: stdout and stderr never show them. */
  readonly secrets?: SecretSink;
  /** Why writing to stdout failed, if it did (other than its reader going away). */
  readonly outputFailure?: () => unknown;
}

/**
 * The Io every command gets: each write to stdout and stderr is scrubbed of the secret values
 * registered so far (the output boundary, as GitHub Actions' add-mask); the product is not.
 */
export function scrubbingIo(io: Io, redactor: Redactor): Io {
  return {
    ...io,
    stdout: (s) => io.stdout(redactor.scrub(s)),
    stderr: (s) => io.stderr(redactor.scrub(s)),
    product: io.product ?? io.stdout,
    secrets: redactor,
  };
}

export const processIo = (): Io => {
  let failure: unknown;
  // A reader that goes away (`kubemin render | head -1`) is not an error: later writes are dropped
  // and the command ends with its own exit code. Any other write error (a full disk behind `>`)
  // is kept and reported once the command is done.
  const writer = (stream: NodeJS.WriteStream): ((s: string) => void) => {
    let closed = false;
    stream.on('error', (err: NodeJS.ErrnoException) => {
      closed = true;
      if (err.code !== 'EPIPE' && stream === process.stdout) failure ??= err;
    });
    return (s) => {
      if (closed) return;
      try {
        stream.write(s);
      } catch (err) {
        closed = true;
        if ((err as NodeJS.ErrnoException).code !== 'EPIPE' && stream === process.stdout) failure ??= err;
      }
    };
  };
  return {
    stdout: writer(process.stdout),
    stderr: writer(process.stderr),
    color: colorFor(process.stderr, process.env),
    stdoutColor: colorFor(process.stdout, process.env),
    interactive: Boolean(process.stdout.isTTY),
    stderrInteractive: Boolean(process.stderr.isTTY),
    outputFailure: () => failure,
  };
};

export function formatDiagnostics(format: DiagnosticFormat, diagnostics: readonly Diagnostic[], sources: SourceSet, color: boolean): string {
  switch (format) {
    case 'text':
      return formatText(diagnostics, sources, { color });
    case 'json':
      return formatJson(diagnostics);
    case 'github':
      return formatGithub(diagnostics);
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

/**
 * Prints what compiling found (diagnostics on stderr, then the apps `--env` left out) and tells whether the command can go on:
 * not when the specs are invalid (`apps` undefined) or `--app` names no application (exit 2).
 */
export function reportLoaded<T>(
  io: Io,
  setExit: (code: number) => void,
  loaded: { readonly compiled?: CompileResult | undefined; readonly apps?: readonly T[] | undefined },
  opts: {
    readonly app?: string | undefined;
    readonly verb: string;
    readonly paths: readonly string[];
    readonly env?: string | undefined;
    readonly skipped?: readonly string[];
  },
): loaded is { readonly compiled?: CompileResult; readonly apps: readonly T[] } {
  const c = loaded.compiled;
  if (c?.diagnostics.length) io.stderr(formatDiagnostics('text', c.diagnostics, c.sources, io.color));
  reportSkipped(io, opts.skipped ?? [], opts.env, opts.verb);
  if (c && 'fileCount' in c && c.fileCount === 0) {
    io.stderr(`${noSpecsFound(opts.paths)}: nothing was ${opts.verb}\n`);
    setExit(EXIT.error);
    return false;
  }
  if (!loaded.apps) {
    io.stderr(`specs are invalid: nothing was ${opts.verb}\n`);
    setExit(EXIT.error);
    return false;
  }
  if (opts.app && !loaded.apps.length) {
    // An app that lacks the environment asked for has been said (reportSkipped).
    if (!opts.skipped?.includes(opts.app)) io.stderr(`no application named "${opts.app}"\n`);
    setExit(EXIT.error);
    return false;
  }
  return true;
}

/** What every command says when its paths hold no spec file. */
export function noSpecsFound(paths: readonly string[]): string {
  return `no kubemin.yaml or *.kubemin.yaml found under ${paths.join(', ')}`;
}
