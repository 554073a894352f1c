import type { SourceSet } from '../load/source-set.js';
import type { Diagnostic } from './diagnostic.js';

export interface TextFormatOptions {
  /** ANSI colours (a TTY without NO_COLOR). */
  readonly color?: boolean;
  /** Lines of context shown above the problem line. */
  readonly context?: number;
}

/**
 * `file:line:col severity code message`, then a code frame with a caret, a hint and related
 * places. Secret values are masked by the SourceSet before they reach this function.
 */
export function formatText(diagnostics: readonly Diagnostic[], sources: SourceSet | undefined, opts: TextFormatOptions = {}): string {
  const c = colors(opts.color ?? false);
  const out: string[] = [];
  for (const d of diagnostics) {
    const where = d.file ? `${d.file}:${d.line ?? 1}:${d.col ?? 1}` : '<input>';
    const sev = d.severity === 'error' ? c.red('error') : c.yellow('warning');
    out.push(`${c.bold(where)} ${sev} ${c.dim(d.code)} ${d.message}`);
    if (d.file && d.line && sources) out.push(...frame(sources, d.file, d.line, d.col ?? 1, opts.context ?? 2, c));
    if (d.hint) out.push(`  ${c.cyan('hint:')} ${d.hint}`);
    for (const r of d.related ?? []) out.push(`  ${c.dim('see')} ${r.file}:${r.line}:${r.col} ${c.dim(r.message)}`);
    out.push('');
  }
  out.push(summary(diagnostics));
  return out.join('\n') + '\n';
}

function summary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const files = new Set(diagnostics.map((d) => d.file)).size;
  if (!diagnostics.length) return 'no problems found';
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
}

function frame(sources: SourceSet, file: string, line: number, col: number, context: number, c: Colors): string[] {
  const first = Math.max(1, line - context);
  const w = String(line).length;
  const out: string[] = [];
  for (let l = first; l <= line; l++) {
    const text = sources.line(file, l);
    if (text === undefined) continue;
    const marker = l === line ? c.red('>') : ' ';
    out.push(`${marker} ${c.dim(String(l).padStart(w))} | ${text}`);
  }
  if (out.length) out.push(`  ${' '.repeat(w)} | ${' '.repeat(Math.max(0, col - 1))}${c.red('^')}`);
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

type Colors = Record<'red' | 'yellow' | 'cyan' | 'dim' | 'bold', (s: string) => string>;

function colors(on: boolean): Colors {
  const wrap = (code: number, reset: number) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[${reset}m` : s);
  return { red: wrap(31, 39), yellow: wrap(33, 39), cyan: wrap(36, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}
