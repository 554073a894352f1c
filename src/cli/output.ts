import type { CompileResult } from '../compile.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatGithub } from '../diagnostics/format-github.js';
import { formatJson } from '../diagnostics/format-json.js';
import { formatText } from '../diagnostics/format-text.js';
import type { SourceSet } from '../load/source-set.js';

export type DiagnosticFormat = 'text' | 'json' | 'github';
export const DIAGNOSTIC_FORMATS: readonly DiagnosticFormat[] = ['text', 'json', 'github'];

/** Process exit codes, as kubectl diff uses them: 0 clean, 1 problems or differences, 2 usage or runtime error. */
export const EXIT = { ok: 0, problems: 1, error: 2 } as const;

export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly color: boolean;
  /** stdout is a terminal: progress may redraw its line. */
  readonly interactive?: boolean;
}

export const processIo = (): Io => ({
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  color: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR,
  interactive: Boolean(process.stdout.isTTY),
});

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
 * Prints what compiling found (diagnostics on stderr) and tells whether the command can go on:
 * not when the specs are invalid (`apps` undefined) or `--app` names no application (exit 2).
 */
export function reportLoaded<T>(
  io: Io,
  setExit: (code: number) => void,
  loaded: { readonly compiled?: CompileResult | undefined; readonly apps?: readonly T[] | undefined },
  opts: { readonly app?: string | undefined; readonly verb: string },
): loaded is { readonly compiled?: CompileResult; readonly apps: readonly T[] } {
  const c = loaded.compiled;
  if (c?.diagnostics.length) io.stderr(formatDiagnostics('text', c.diagnostics, c.sources, io.color));
  if (!loaded.apps) {
    io.stderr(`specs are invalid: nothing was ${opts.verb}\n`);
    setExit(EXIT.error);
    return false;
  }
  if (opts.app && !loaded.apps.length) {
    io.stderr(`no application named "${opts.app}"\n`);
    setExit(EXIT.error);
    return false;
  }
  return true;
}
