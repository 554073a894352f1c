import { escapeHtml as esc } from '../view/escape-html.js';
import type { CommitInfo } from './dashboard-state.js';
import { timeElement } from './page.js';

/** A commit as one line: its short sha, and, once known, its subject, author and time. */
export function commitCell(sha: string, info: CommitInfo | undefined): string {
  const short = `<code title="${esc(sha)}">${esc(sha.slice(0, 7))}</code>`;
  if (!info) return short;
  const made = Number.isNaN(info.time.getTime()) ? '' : `, ${timeElement(info.time.toISOString())}`;
  return `${short} ${esc(info.subject)} <span class="meta">(${esc(info.authorName)}${made})</span>`;
}
