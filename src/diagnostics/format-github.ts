import type { Diagnostic } from './diagnostic.js';

/**
 * GitHub Actions workflow commands (`::error file=...,line=...::message`), so that problems
 * show as annotations on the changed lines of a pull request.
 */
export function formatGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const props = [
        d.file ? `file=${escapeProperty(d.file)}` : undefined,
        d.line ? `line=${d.line}` : undefined,
        d.col ? `col=${d.col}` : undefined,
        `title=${escapeProperty(`kubemin ${d.code}`)}`,
      ].filter(Boolean);
      const text = d.hint ? `${d.message} (${d.hint})` : d.message;
      return `::${d.severity} ${props.join(',')}::${escapeData(text)}\n`;
    })
    .join('');
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
