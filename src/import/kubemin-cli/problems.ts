/**
 * What the importer found: warnings (converted, but the meaning changed or something was dropped)
 * and errors (the input cannot be converted; nothing is written). Each names the place in the
 * input as a JSON pointer (RFC 6901; "" is the whole document) and has a stable kebab-case code.
 */

export interface ImportWarning {
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
}

export interface ImportError {
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
}

/** Collects problems in the order the input is walked (deterministic for a given input). */
export class Problems {
  readonly warnings: ImportWarning[] = [];
  readonly errors: ImportError[] = [];

  warn(pointer: string, code: string, message: string): void {
    this.warnings.push({ pointer, code, message });
  }

  error(pointer: string, code: string, message: string): void {
    this.errors.push({ pointer, code, message });
  }
}
