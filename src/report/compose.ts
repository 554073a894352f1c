import type { CompiledApp } from '../compile.js';
import { appKey } from '../environments/app-key.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { appSection, formatCounts, summaryTable, type SourceUrl } from './app-section.js';
import { diagnosticsSection } from './diagnostics-section.js';
import { escapeHtml, plural } from './markdown.js';
import { liveHasNews, liveSection, type LiveDiff } from './live-section.js';
import { paginate, plainSection, type Page, type Section } from './paginate.js';
import type { AppRenderedDiff } from './rendered-diff.js';

/** The first line of every report comment: how the Action finds its own comments again. */
export const REPORT_MARKER = '<!-- kubemin:report -->';
const REPORT_TITLE = '### kubemin: what this pull request changes';
/** GitHub comments hold 65,536 characters. */
const DEFAULT_MAX_COMMENT_SIZE = 60_000;
const DEFAULT_MAX_COMMENTS = 5;
/** GITHUB_STEP_SUMMARY holds 1 MiB. */
const DEFAULT_MAX_SUMMARY_SIZE = 1_000_000;
const MIN_SIZE = 1_000;

export interface ReportInput {
  readonly rendered: readonly AppRenderedDiff[];
  /** The head's apps, for the phase diagrams. */
  readonly headApps: readonly CompiledApp[];
  /** What the head would change in the cluster, or why that was not asked. */
  readonly live?: LiveDiff;
  readonly headSha: string;
  readonly baseSha: string;
  /** Shown first, e.g. that the base did not compile. */
  readonly problems?: readonly string[];
  /**
   * The head's diagnostics when it does not compile: the report is then these problems (each at
   * its `file:line`), nothing rendered, so that it never shows an older head's diff.
   */
  readonly invalid?: readonly Diagnostic[];
}

export interface ReportOptions {
  /** Each comment is shorter than this (default 60,000). */
  readonly maxCommentSize?: number;
  /** Past this many comments (default 5), the last one points to the job summary. */
  readonly maxComments?: number;
  /** The job summary's address, linked from the comments when the report does not fit. */
  readonly summaryUrl?: string;
  /** The job summary is cut past this (default 1,000,000). */
  readonly maxSummarySize?: number;
  /** Links each spec line to the file at its commit. */
  readonly sourceUrl?: SourceUrl;
}

export interface ReportParts {
  /** The pull request comments, in order, each starting with REPORT_MARKER. */
  readonly comments: string[];
  /** The whole report for the job summary (cut only past maxSummarySize). */
  readonly summary: string;
}

/**
 * The pull request report in markdown: a summary table of the apps (a row per app and
 * environment), one collapsible section per changed app and environment (its phase diagram, then each changed object's diff), the live diff, and the commits
 * compared. Split between sections into comments that fit GitHub's limit. Pure and deterministic.
 */
export function composeReport(input: ReportInput, opts: ReportOptions = {}): ReportParts {
  const maxCommentSize = opts.maxCommentSize ?? DEFAULT_MAX_COMMENT_SIZE;
  const maxComments = opts.maxComments ?? DEFAULT_MAX_COMMENTS;
  const maxSummarySize = opts.maxSummarySize ?? DEFAULT_MAX_SUMMARY_SIZE;
  if (maxCommentSize < MIN_SIZE || maxSummarySize < MIN_SIZE) throw new RangeError(`report sizes must be at least ${MIN_SIZE} characters`);
  if (!Number.isInteger(maxComments) || maxComments < 1) throw new RangeError('maxComments must be a positive integer');

  const sections = reportSections(input, opts.sourceUrl);
  const footer = `---\n<sub>kubemin: head ${escapeHtml(input.headSha)}, base ${escapeHtml(input.baseSha)}</sub>\n`;
  const link = opts.summaryUrl ? ` ([open it](${opts.summaryUrl.replace(/[\s()<>]/g, encodeURIComponent)}))` : '';
  const overflow = (blocks: number) => `> **The rest of the report (${plural(blocks, 'more section')}) is in the job summary**${link}\n\n`;

  const commentReserve = header(999, 999).length + footer.length + overflow(999_999).length + 1;
  const pageSize = maxCommentSize - commentReserve;
  if (pageSize < MIN_SIZE / 2) throw new RangeError(`maxCommentSize ${maxCommentSize} leaves no room for the report`);
  const pages = paginate(sections, {
    pageSize,
    cutNotice: (n) => `> **… cut: ${plural(n, 'more line')}; see the job summary**${link}\n`,
  });
  const shown = pages.slice(0, maxComments);
  const left = blocksIn(pages.slice(maxComments));
  const comments = shown.map((p, i) => header(i + 1, shown.length) + p.text + (left && i === shown.length - 1 ? overflow(left) : '') + footer);

  const summaryPages = paginate(sections, {
    pageSize: maxSummarySize - header(1, 1).length - footer.length - 200,
    cutNotice: (n) => `> **… cut: ${plural(n, 'more line')}** (the job summary holds ${maxSummarySize.toLocaleString('en-US')} characters)\n`,
  });
  const cut = blocksIn(summaryPages.slice(1));
  const summaryCut = cut
    ? `> **The report was cut here**: ${plural(cut, 'more section')} did not fit in the job summary (${maxSummarySize.toLocaleString('en-US')} characters).\n\n`
    : '';
  const summary = header(1, 1) + (summaryPages[0]?.text ?? '') + summaryCut + footer;
  return { comments, summary };
}

function header(part: number, parts: number): string {
  return `${REPORT_MARKER}\n${REPORT_TITLE}${parts > 1 ? ` (part ${part} of ${parts})` : ''}\n\n`;
}

function blocksIn(pages: readonly Page[]): number {
  return pages.reduce((n, p) => n + p.blocks, 0);
}

/**
 * The report's sections in order: problems, rendered changes (or that there are none), the live
 * diff; for a head that does not compile, its problems alone. The only changed app is shown open.
 */
function reportSections(input: ReportInput, sourceUrl: SourceUrl | undefined): Section[] {
  if (input.invalid) return [diagnosticsSection(input.invalid, sourceUrl)];
  const sections: Section[] = [];
  if (input.problems?.length) {
    sections.push(plainSection(`> [!WARNING]\n${input.problems.map((p) => `> - ${escapeHtml(p).replace(/\r?\n/g, ' ')}`).join('\n')}\n\n`));
  }
  const changed = input.rendered.filter((a) => a.status !== 'unchanged');
  if (!changed.length) {
    sections.push(plainSection('**No changes to rendered manifests.**\n\n'));
  } else {
    const total = { create: 0, update: 0, delete: 0, unchanged: 0 };
    for (const a of input.rendered) for (const k of ['create', 'update', 'delete', 'unchanged'] as const) total[k] += a.summary[k];
    const line = `**${changed.length} of ${plural(input.rendered.length, 'app')} changed**: ${formatCounts(total)}, ${total.unchanged} unchanged\n\n`;
    sections.push(plainSection(line + summaryTable(input.rendered)));
    for (const a of changed)
      sections.push(
        appSection(
          a,
          input.headApps.find((h) => appKey(h) === a.key),
          { expanded: changed.length === 1, ...(sourceUrl ? { sourceUrl } : {}) },
        ),
      );
  }
  // With nothing rendered changed, the body stays short: the live diff only when the cluster differs.
  if (input.live && (changed.length || liveHasNews(input.live))) sections.push(liveSection(input.live, sourceUrl));
  return sections;
}
