/** A text file as read from disk (or from git, or from a test). Paths are POSIX, relative to the scan root. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** Where a value came from: a file, the document within it, a JSON pointer and its position. */
export interface SourceRef extends Position {
  readonly file: string;
  readonly pointer: string;
}

export function formatSourceRef(ref: Pick<SourceRef, 'file' | 'line'> & Partial<Pick<SourceRef, 'col'>>): string {
  return ref.col === undefined ? `${ref.file}:${ref.line}` : `${ref.file}:${ref.line}:${ref.col}`;
}
