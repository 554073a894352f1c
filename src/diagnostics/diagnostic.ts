export type Severity = 'error' | 'warning';

/** Another place that explains a diagnostic (e.g. the other side of a conflict). */
interface RelatedLocation {
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/**
 * One problem found in the specs. Diagnostics are collected, never thrown one at a time:
 * every stage returns the ones it found next to its result.
 */
export interface Diagnostic {
  readonly severity: Severity;
  /** Stable, kebab-case code, e.g. `unknown-field`, `workflow-order`. */
  readonly code: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** How to fix it, when there is something specific to say. */
  readonly hint?: string;
  readonly file?: string;
  readonly pointer?: string;
  readonly line?: number;
  readonly col?: number;
  readonly related?: readonly RelatedLocation[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorted by file, line, column, then code: output order never depends on discovery order. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      cmp(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0) || cmp(a.code, b.code) || cmp(a.message, b.message),
  );
}

/** Drops exact repeats (same place, code and message), which can arise when two checks meet. */
export function dedupeDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}\0${d.line}\0${d.col}\0${d.code}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
