/** Small markdown helpers for the pull request report: escaping and code fences. */

/** `<`, `>` and `&` as entities: text from sources and messages inside HTML or markdown. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escaped for a table cell: HTML, pipes and line breaks. */
export function escapeCell(s: string): string {
  return escapeHtml(s).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A backtick fence longer than any run of backticks in `text`, so that nothing inside can close it. */
function fenceFor(text: string): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** A fenced code block, ending with a newline. */
export function codeBlock(lang: string, text: string): string {
  const body = text.replace(/\n$/, '');
  const fence = fenceFor(body);
  return `${fence}${lang}\n${body}\n${fence}\n`;
}

/** `<details>` with a one-line summary (HTML, already escaped) and a markdown body. */
export function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body.replace(/\n*$/, '\n')}\n</details>\n`;
}

/** `1 object`, `2 objects`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
