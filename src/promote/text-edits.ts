/** Splices into a text, by offsets into the original. Pure. */

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The text with every edit made; edits must not overlap (an insertion may touch a removal). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at offset ${e.start} (a bug in kubemin promote)`);
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Offset of the start of the line holding `pos`. */
export function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** 0-based column of `pos`. */
export function columnOf(text: string, pos: number): number {
  return pos - lineStart(text, pos);
}

/** Offset just after the end of the line holding `pos` (its newline included); `pos` itself when a line starts there. */
export function lineEndAfter(text: string, pos: number): number {
  if (pos > 0 && text[pos - 1] === '\n') return pos;
  const nl = text.indexOf('\n', pos);
  return nl === -1 ? text.length : nl + 1;
}

/** Whether only blanks stand before `pos` on its line. */
export function startsLine(text: string, pos: number): boolean {
  return text.slice(lineStart(text, pos), pos).trim() === '';
}

/** The line ending the text uses (CRLF when its first line ends so). */
export function lineEnding(text: string): '\n' | '\r\n' {
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

/** `lines` indented by `column` spaces (blank lines left blank), each ending with `eol`. */
export function indentLines(lines: readonly string[], column: number, eol: string): string {
  const pad = ' '.repeat(column);
  return lines.map((l) => (l ? pad + l : l) + eol).join('');
}
