import { appPath } from './paths.js';
import type { CommitInfo } from './dashboard-state.js';
import { commitCell } from './commit-cell.js';
import { escapeHtml as esc } from '../view/escape-html.js';
import type { StatusJob, StatusReport } from '../watch/status-report.js';
import { applyDurationMs, historyStats, type HistoryStats } from './history.js';
import { formatMs, stateBadge, timeElement, type Fragment, type Page, type Tone } from './page.js';

/** The fragment's id: the element the event stream replaces. */
const HISTORY_FRAGMENT_ID = 'history';

/** What the page says about the commit an apply applied (the source's revisionInfo). */

/** Outcomes of applies, phases and Jobs, as a badge's tone; any other word (a report from a later version) reads as idle. */
const TONES: Readonly<Record<string, Tone>> = {
  applied: 'ok',
  ready: 'ok',
  succeeded: 'ok',
  failed: 'bad',
  unschedulable: 'bad',
  refused: 'bad',
  timeout: 'bad',
  running: 'busy',
};

/** Reports are YAML that someone may have edited: every value is made text before it is escaped. */
const text = (v: unknown): string => esc(typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const badge = (outcome: unknown): string => {
  const word = typeof outcome === 'string' ? outcome : 'unknown';
  return stateBadge(word, Object.hasOwn(TONES, word) ? TONES[word]! : 'idle');
};
const when = (iso: unknown): string => (typeof iso === 'string' && iso ? timeElement(iso) : NONE);
const ms = (n: unknown): string => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? esc(formatMs(n)) : NONE);
const NONE = '<span class="meta">—</span>';

/** `5 applies · 80 % applied (4 of 5) · median duration 12.4 s` */
function summary(stats: HistoryStats): string {
  const parts = [`${stats.applies} ${stats.applies === 1 ? 'apply' : 'applies'}`];
  if (stats.successRate !== null) parts.push(`${Math.round(stats.successRate * 1000) / 10} % applied (${stats.succeeded} of ${stats.applies})`);
  if (stats.medianDurationMs !== null)
    parts.push(`median duration ${formatMs(stats.medianDurationMs)}${stats.timed < stats.applies ? ` (of the ${stats.timed} whose times are known)` : ''}`);
  return `<p class="meta">${esc(parts.join(' · '))}</p>`;
}

/** Why the apply did not apply: its failure, when the report's lastFailure is this apply's own. */
function failureOf(r: StatusReport): string {
  const f = r.lastFailure;
  if (r.outcome === 'applied' || !f || f.commit !== r.commit || f.at !== r.finishedAt) return '';
  return `<br><span class="cause">in phase ${text(f.phase)}: ${text(f.message)}</span>`;
}

function phasesCell(r: StatusReport): string {
  if (!r.phases.length) return NONE;
  // The apply's failure is said in the outcome's cell: a phase lists its other reasons only.
  const said = r.outcome !== 'applied' && r.lastFailure?.commit === r.commit ? r.lastFailure.message : undefined;
  const items = r.phases.map((p) => {
    const others = p.reasons.filter((why) => why !== said);
    const reasons = p.outcome !== 'ready' && others.length ? `<ul>${others.map((why) => `<li class="cause">${text(why)}</li>`).join('')}</ul>` : '';
    return `<li>${text(p.phase)}: ${ms(p.durationMs)}, ${badge(p.outcome)}${reasons}</li>`;
  });
  return `<ol class="plain">${items.join('')}</ol>`;
}

function jobsCell(jobs: readonly StatusJob[] | undefined): string {
  if (!jobs?.length) return NONE;
  const items = jobs.map((j) => {
    const component = j.component ? ` <span class="meta">(${text(j.component)})</span>` : '';
    const attempts = typeof j.attempts === 'number' ? `${j.attempts} ${j.attempts === 1 ? 'attempt' : 'attempts'}` : 'attempts unknown';
    const took = typeof j.startedAt === 'string' && typeof j.completedAt === 'string' ? Date.parse(j.completedAt) - Date.parse(j.startedAt) : NaN;
    const completed = `completed ${when(j.completedAt)}${Number.isFinite(took) && took >= 0 ? ` (${esc(formatMs(took))})` : ''}`;
    return `<li><code>${text(j.object)}</code>${component} ${badge(j.outcome)}<br>started ${when(j.startedAt)}, ${completed}, ${esc(attempts)}</li>`;
  });
  return `<ul class="plain">${items.join('')}</ul>`;
}

function row(r: StatusReport, commits: ReadonlyMap<string, CommitInfo>): string {
  const duration = applyDurationMs(r);
  return [
    '<tr>',
    `<th scope="row">${commitCell(r.commit, commits.get(r.commit))}</th>`,
    `<td>${text(r.trigger)}</td>`,
    `<td>${badge(r.outcome)}${failureOf(r)}</td>`,
    `<td>${when(r.startedAt)}</td>`,
    `<td class="num">${duration === undefined ? NONE : esc(formatMs(duration))}</td>`,
    `<td>${phasesCell(r)}</td>`,
    `<td>${jobsCell(r.jobs)}</td>`,
    '</tr>',
  ].join('');
}

const COLUMNS: ReadonlyArray<{ readonly head: string; readonly num?: boolean }> = [
  { head: 'Commit' },
  { head: 'Trigger' },
  { head: 'Outcome' },
  { head: 'Started' },
  { head: 'Duration', num: true },
  { head: 'Phases (duration, outcome)' },
  { head: 'Jobs' },
];

/**
 * An app's history (its last status reports, newest first as the source gives them): a summary
 * line (historyStats), then a table of its applies: the commit (short sha, subject, author from
 * `commits`, by full sha), trigger, outcome (with the failure's phase and message), start,
 * duration, each phase's duration and outcome, and the Jobs it waited for. Pure; every text is
 * escaped.
 */
export function historyFragment(key: string, reports: readonly StatusReport[], commits: ReadonlyMap<string, CommitInfo>): Fragment {
  const body = reports.length
    ? `${summary(historyStats(reports))}<table><caption>Applies of ${esc(key)}, newest first</caption><thead><tr>${COLUMNS.map(
        (c) => `<th scope="col"${c.num ? ' class="num"' : ''}>${esc(c.head)}</th>`,
      ).join('')}</tr></thead><tbody>${reports.map((r) => row(r, commits)).join('')}</tbody></table>`
    : `<p class="meta">No apply of ${esc(key)} is recorded yet.</p>`;
  return { id: HISTORY_FRAGMENT_ID, html: `<div id="${HISTORY_FRAGMENT_ID}">${body}</div>` };
}

/** An app's history page: Apps › <key> › History of <key>. */
export function historyPage(app: { readonly key: string }, reports: readonly StatusReport[], commits: ReadonlyMap<string, CommitInfo>): Page {
  return {
    title: `History of ${app.key}`,
    section: 'apps',
    breadcrumbs: [
      { href: '/', text: 'Apps' },
      // As apps-page.ts's appPath: each segment of the key encoded, its `/` kept.
      { href: appPath(app.key), text: app.key },
    ],
    heading: `History of ${app.key}`,
    fragments: [historyFragment(app.key, reports, commits)],
  };
}
