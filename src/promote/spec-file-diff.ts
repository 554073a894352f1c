import { structuredPatch } from 'diff';

const CONTEXT_LINES = 3;

/**
 * The unified diff of a spec file before and after, as git prints it (`--- a/<file>`,
 * `+++ b/<file>`, hunks), so that it can be read in a review or applied with `git apply`.
 * `masks` are the ranges of secret values in each text: their characters print as `*` (as in
 * code frames), so that a secret next to an edited line never shows, however short. Empty when
 * the texts are equal.
 */
export function specFileDiff(
  file: string,
  before: string,
  after: string,
  masks: { readonly before: ReadonlyArray<readonly [number, number]>; readonly after: ReadonlyArray<readonly [number, number]> },
): string {
  if (before === after) return '';
  const patch = structuredPatch(`a/${file}`, `b/${file}`, mask(before, masks.before), mask(after, masks.after), '', '', { context: CONTEXT_LINES });
  const out = [`--- a/${file}`, `+++ b/${file}`];
  for (const h of patch.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    out.push(...h.lines);
  }
  return out.join('\n') + '\n';
}

/** The diff with `-` lines red, `+` green, hunk headers cyan and file headers bold, for a terminal. */
export function colorDiff(diff: string): string {
  const paint = (code: number, s: string): string => `\x1b[${code}m${s}\x1b[0m`;
  return diff
    .split('\n')
    .map((line) =>
      line.startsWith('--- ') || line.startsWith('+++ ')
        ? paint(1, line)
        : line.startsWith('@@')
          ? paint(36, line)
          : line.startsWith('-')
            ? paint(31, line)
            : line.startsWith('+')
              ? paint(32, line)
              : line,
    )
    .join('\n');
}

/** The text with the characters of the ranges (but blanks and line ends) replaced by `*`. */
function mask(text: string, ranges: ReadonlyArray<readonly [number, number]>): string {
  if (!ranges.length) return text;
  const chars = text.split('');
  for (const [start, end] of ranges) {
    for (let i = start; i < end && i < chars.length; i++) if (!/\s/.test(chars[i]!)) chars[i] = '*';
  }
  return chars.join('');
}
