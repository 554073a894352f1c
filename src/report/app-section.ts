import type { CompiledApp } from '../compile.js';
import { formatRef } from '../k8s/object-ref.js';
import { codeBlock, details, escapeCell, escapeHtml, plural } from './markdown.js';
import type { Section } from './paginate.js';
import type { ObjectCounts, PhaseChange } from './phase-changes.js';
import { phaseDiagram } from './phase-diagram.js';
import type { AppRenderedDiff, ObjectChange } from './rendered-diff.js';

/** `1 to create, 2 to update` (the non-zero ones), or `no object changes`. */
export function formatCounts(c: ObjectCounts): string {
  const parts = [c.create ? `${c.create} to create` : '', c.update ? `${c.update} to update` : '', c.delete ? `${c.delete} to delete` : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no object changes';
}

/** `shop`, or `shop in staging` for an environment's variant (escaped for HTML). */
export function appLabel(a: { readonly app: string; readonly environment?: string | undefined }): string {
  return a.environment ? `${escapeHtml(a.app)} in ${escapeHtml(a.environment)}` : escapeHtml(a.app);
}

/** The summary table: one row per app, and per environment of an app that has environments (a column then). */
export function summaryTable(apps: readonly AppRenderedDiff[]): string {
  const environments = apps.some((a) => a.environment);
  const rows = environments
    ? ['| app | environment | status | phases (changed/total) | create | update | delete |', '|---|---|---|---:|---:|---:|---:|']
    : ['| app | status | phases (changed/total) | create | update | delete |', '|---|---|---:|---:|---:|---:|'];
  for (const a of apps) {
    const s = a.summary;
    const env = environments ? ` ${a.environment ? escapeCell(a.environment) : '–'} |` : '';
    rows.push(`| ${escapeCell(a.app)} |${env} ${a.status} | ${s.changedPhases}/${s.phases} | ${s.create} | ${s.update} | ${s.delete} |`);
  }
  return rows.join('\n') + '\n\n';
}

/** The address of a spec line at the commit it was read from (the head's, the base's for a delete); none: no link. */
export type SourceUrl = (at: ObjectChange['at']) => string | undefined;

export interface AppSectionOptions {
  /** Shown open: the only changed app of the report. */
  readonly expanded?: boolean;
  readonly sourceUrl?: SourceUrl;
}

/**
 * One changed app: a collapsible section with its phase diagram and what changed in its phases,
 * then one collapsible diff per changed object (split between objects when it spans comments).
 */
export function appSection(diff: AppRenderedDiff, head: CompiledApp | undefined, options: AppSectionOptions = {}): Section {
  const name = diff.environment ? `<b>${escapeHtml(diff.app)}</b> in <b>${escapeHtml(diff.environment)}</b>` : `<b>${escapeHtml(diff.app)}</b>`;
  const s = diff.summary;
  const title = `${name} (${diff.status}): ${formatCounts(s)}; ${s.changedPhases} of ${plural(s.phases, 'phase')} changed`;
  const tag = options.expanded ? '<details open>' : '<details>';
  return {
    open: `${tag}<summary>${title}</summary>\n\n`,
    reopen: `${tag}<summary>${name} (continued)</summary>\n\n`,
    close: '</details>\n\n',
    blocks: [overview(diff, head), ...diff.objects.map((o) => objectBlock(o, options.sourceUrl))],
  };
}

function overview(diff: AppRenderedDiff, head: CompiledApp | undefined): string {
  const parts: string[] = [];
  if (head) {
    const changed = new Set(diff.phases.filter((p) => p.changed && p.status !== 'removed').map((p) => p.label));
    const removed = diff.phases.filter((p) => p.status === 'removed').map((p) => ({ label: p.label, objects: p.objects }));
    parts.push(codeBlock('mermaid', phaseDiagram(head, changed, { removed })));
  } else {
    parts.push(`The application is removed from namespace <code>${escapeHtml(diff.namespace)}</code>.\n`);
  }
  const changedPhases = diff.phases.filter((p) => p.changed);
  if (changedPhases.length) parts.push(changedPhases.map(phaseLine).join('\n') + '\n');
  return parts.join('\n') + '\n';
}

/** `- <code>03-app</code> (was <code>02-app</code>) changed: timeout 5m → 10m; 1 to update` */
function phaseLine(p: PhaseChange): string {
  const was = p.previous ? ` (was <code>${escapeHtml(p.previous)}</code>)` : '';
  const what = [...p.changes, formatCounts(p.counts)].map(escapeHtml).join('; ');
  return `- <code>${escapeHtml(p.label)}</code>${was} ${p.status}: ${what}`;
}

/**
 * `<details>` titled `<code>Kind ns/name</code> update (kubemin.yaml:12)` with the diff inside; the
 * source a link to its line when `sourceUrl` gives one; a replace names the object it replaces.
 */
function objectBlock(o: ObjectChange, sourceUrl?: SourceUrl): string {
  const url = sourceUrl?.(o.at);
  const source = url ? `<a href="${escapeAttribute(url)}">${escapeHtml(o.source)}</a>` : escapeHtml(o.source);
  const replaces = o.replaces ? ` <code>${escapeHtml(formatRef(o.replaces))}</code>` : '';
  const action = o.action === 'replace' ? 'replaces' : o.action;
  const summary = `<code>${escapeHtml(formatRef(o.ref))}</code> ${action}${replaces} (${source}) in <code>${escapeHtml(o.phase)}</code>`;
  return details(summary, codeBlock('diff', o.diff)) + '\n';
}

function escapeAttribute(s: string): string {
  return escapeHtml(s).replace(/"/g, '&quot;');
}
