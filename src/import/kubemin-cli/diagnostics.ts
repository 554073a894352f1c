/**
 * The importer's problems as kubemin's diagnostics: placed at file:line:col in the input, found
 * by their JSON pointer with the yaml parser (JSON is YAML), so that `kubemin import` reports them
 * as `kubemin validate` reports a spec's, in text (with a code frame), JSON or GitHub's format.
 */
import { sortDiagnostics, type Diagnostic, type Severity } from '../../diagnostics/diagnostic.js';
import { FileLocator } from '../../load/locator.js';
import { SourceSet } from '../../load/source-set.js';
import type { SourceFile } from '../../load/source.js';
import type { JsonSyntaxError } from './json-syntax.js';
import type { ImportError, ImportWarning } from './problems.js';

export interface PlacedProblems {
  readonly diagnostics: Diagnostic[];
  /** The input, for code frames. */
  readonly sources: SourceSet;
}

/** In the order of the input (line, column); the values at `secrets` (JSON pointers) masked in code frames. */
export function placeProblems(
  input: SourceFile,
  problems: { readonly warnings: readonly ImportWarning[]; readonly errors: readonly ImportError[] },
  secrets: readonly string[],
): PlacedProblems {
  const locator = new FileLocator(input, new WeakMap());
  const sources = new SourceSet();
  sources.add(locator, locator.valueRanges(0, secrets));
  const place = (severity: Severity, p: ImportWarning | ImportError): Diagnostic => {
    // The key of a field (its value when the field is missing, or an array item).
    const { line, col } = locator.locate(0, undefined, p.pointer, { key: true });
    return { severity, code: p.code, message: p.message, file: input.path, pointer: p.pointer, line, col };
  };
  return { diagnostics: sortDiagnostics([...problems.warnings.map((w) => place('warning', w)), ...problems.errors.map((e) => place('error', e))]), sources };
}

/**
 * Input that is not JSON: one error at the place it stops being JSON, without a code frame (where
 * the secret values are is not known in a text that does not parse).
 */
export function syntaxProblem(input: SourceFile, error: JsonSyntaxError): PlacedProblems {
  const sources = new SourceSet();
  return {
    diagnostics: [{ severity: 'error', code: 'json-syntax', message: `invalid JSON: ${error.message}`, file: input.path, line: error.line, col: error.col }],
    sources,
  };
}
