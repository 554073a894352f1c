import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceUrl } from './app-section.js';
import { escapeHtml, plural } from './markdown.js';
import { plainSection, type Section } from './paginate.js';

/**
 * The head's problems, when its specs do not compile: a heading, then one line per diagnostic
 * (`file:line:col`, linked to the line at the head commit, its code, message and hint), one block
 * each so that a long list spans comments. Nothing of an older head is shown.
 */
export function diagnosticsSection(diagnostics: readonly Diagnostic[], sourceUrl?: SourceUrl): Section {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const heading = `> [!CAUTION]\n> **${plural(errors, 'problem')} in the specs of this head**: nothing was rendered, so there is no diff to show. Fix ${errors === 1 ? 'it' : 'them'} and push again.\n\n`;
  const lines = diagnostics.map((d) => diagnosticLine(d, sourceUrl));
  // A blank line ends the list.
  return plainSection(heading, ...lines.map((l, i) => (i === lines.length - 1 ? `${l}\n` : l)));
}

/** `- **error** [apps/shop/kubemin.yaml:12:5](…) `unknown-field`: message (hint)` */
function diagnosticLine(d: Diagnostic, sourceUrl: SourceUrl | undefined): string {
  const place = d.file ? [d.file, d.line, d.col].filter((x) => x !== undefined).join(':') : '';
  const url = d.file && d.line ? sourceUrl?.({ side: 'head', file: d.file, line: d.line }) : undefined;
  const where = !place ? '' : url ? ` <a href="${escapeHtml(url).replace(/"/g, '&quot;')}">${escapeHtml(place)}</a>` : ` ${escapeHtml(place)}`;
  const text = (d.hint ? `${d.message} (${d.hint})` : d.message).replace(/\r?\n/g, ' ');
  return `- **${d.severity}**${where} <code>${escapeHtml(d.code)}</code>: ${escapeHtml(text)}\n`;
}
