import type { Diagnostic } from './diagnostic.js';

/** Machine-readable diagnostics: `{diagnostics: [...], errors, warnings}`. */
export function formatJson(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return JSON.stringify({ diagnostics, errors, warnings: diagnostics.length - errors }, null, 2) + '\n';
}
