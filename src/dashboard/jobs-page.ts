import { appPath } from './paths.js';
import { escapeHtml as esc } from '../view/escape-html.js';
import type { JobRow, JobState } from './jobs-model.js';
import { formatMs, stateBadge, timeElement, type Page, type Tone } from './page.js';

export interface JobsPageOptions {
  /** What could not be read (a namespace RBAC does not let the daemon list): said above the tables. */
  readonly problems?: readonly string[];
}

/** The fragment's id: the element the event stream replaces. */
const JOBS_FRAGMENT_ID = 'jobs';

interface Group {
  readonly state: JobState;
  readonly heading: string;
  readonly caption: string;
  readonly empty: string;
  /** The columns after job, app and component. */
  readonly columns: ReadonlyArray<{ readonly head: string; readonly num?: boolean; readonly cell: (r: JobRow) => string }>;
}

const time = (iso: string | undefined): string => (iso ? timeElement(iso) : '<span class="meta">—</span>');
const duration = (r: JobRow): string => (r.durationMs !== undefined ? esc(formatMs(r.durationMs)) : '<span class="meta">—</span>');
const reason = (r: JobRow, cls = ''): string => (r.reason ? `<span${cls ? ` class="${cls}"` : ''}>${esc(r.reason)}</span>` : '<span class="meta">—</span>');
const attempts = (r: JobRow): string => String(r.attempts);

const TONE: Readonly<Record<JobState, Tone>> = { running: 'busy', queued: 'idle', succeeded: 'ok', failed: 'bad' };

const GROUPS: readonly Group[] = [
  {
    state: 'running',
    heading: 'Running',
    caption: 'Jobs whose pods run, newest first',
    empty: 'No job is running.',
    columns: [
      { head: 'Started', cell: (r) => time(r.started ?? r.created) },
      { head: 'Running for', num: true, cell: duration },
      { head: 'Attempts', num: true, cell: attempts },
      { head: 'Last failure', cell: (r) => reason(r) },
    ],
  },
  {
    state: 'queued',
    heading: 'Queued',
    caption: 'Jobs none of whose pods has started yet, with why',
    empty: 'No job is queued.',
    columns: [
      { head: 'Created', cell: (r) => time(r.created) },
      { head: 'Waiting for', num: true, cell: duration },
      { head: 'Why', cell: (r) => reason(r) },
    ],
  },
  {
    state: 'failed',
    heading: 'Failed',
    caption: 'Jobs that failed, with the cause',
    empty: 'No job failed.',
    columns: [
      { head: 'Started', cell: (r) => time(r.started ?? r.created) },
      { head: 'Failed at', cell: (r) => (r.finished ? timeElement(r.finished) : '<span class="meta">still active</span>') },
      { head: 'Duration', num: true, cell: duration },
      { head: 'Attempts', num: true, cell: attempts },
      { head: 'Cause', cell: (r) => reason(r, 'cause') },
    ],
  },
  {
    state: 'succeeded',
    heading: 'Finished',
    caption: 'Jobs that completed, with how long they took',
    empty: 'No job has finished.',
    columns: [
      { head: 'Started', cell: (r) => time(r.started ?? r.created) },
      { head: 'Finished', cell: (r) => time(r.finished) },
      { head: 'Duration', num: true, cell: duration },
      { head: 'Attempts', num: true, cell: attempts },
    ],
  },
];

const STATE_WORD: Readonly<Record<JobState, string>> = { running: 'running', queued: 'queued', succeeded: 'succeeded', failed: 'failed' };

/** The job's cell: its name, state, and the CronJob it is a run of. */
function jobCell(r: JobRow): string {
  const cron = r.cronJob ? `<br><span class="meta">run of CronJob ${esc(r.cronJob)}${r.schedule ? ` (<code>${esc(r.schedule)}</code>)` : ''}</span>` : '';
  return `${stateBadge(STATE_WORD[r.state], TONE[r.state])} <code>${esc(r.namespace)}/${esc(r.name)}</code>${cron}`;
}

function table(group: Group, rows: readonly JobRow[]): string {
  const id = `jobs-${group.state}`;
  const heading = `<h2 id="${id}-heading">${esc(group.heading)} <span class="meta">(${rows.length})</span></h2>`;
  if (!rows.length) return `<section aria-labelledby="${id}-heading">${heading}<p class="meta">${esc(group.empty)}</p></section>`;
  const head = ['Job', 'App', 'Component', ...group.columns.map((c) => c.head)];
  const nums = [false, false, false, ...group.columns.map((c) => c.num === true)];
  const ths = head.map((h, i) => `<th scope="col"${nums[i] ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  const body = rows
    .map((r) => {
      const cells = [
        `<th scope="row">${jobCell(r)}</th>`,
        `<td><a href="${esc(appPath(r.key))}">${esc(r.key)}</a></td>`,
        `<td>${r.component ? esc(r.component) : '<span class="meta">—</span>'}</td>`,
        ...group.columns.map((c) => `<td${c.num ? ' class="num"' : ''}>${c.cell(r)}</td>`),
      ];
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('');
  return `<section aria-labelledby="${id}-heading">${heading}<table id="${id}"><caption>${esc(group.caption)}</caption><thead><tr>${ths}</tr></thead><tbody>${body}</tbody></table></section>`;
}

/**
 * The Jobs view: one fragment (id `jobs`) with a table per state, running, queued, failed and
 * finished, in the rows' order (jobRows'). Pure; every text from the cluster is escaped.
 */
export function jobsPage(rows: readonly JobRow[], opts: JobsPageOptions = {}): Page {
  const problems = opts.problems?.length
    ? `<div class="problems"><p class="cause">Some jobs could not be read:</p><ul>${opts.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul></div>`
    : '';
  const counts = GROUPS.map((g) => `${rows.filter((r) => r.state === g.state).length} ${g.heading.toLowerCase()}`).join(', ');
  const html = `<div id="${JOBS_FRAGMENT_ID}"><p class="meta">${esc(counts)}.</p>${problems}${GROUPS.map((g) =>
    table(
      g,
      rows.filter((r) => r.state === g.state),
    ),
  ).join('')}</div>`;
  return {
    title: 'Jobs',
    section: 'jobs',
    heading: 'Jobs',
    intro: 'Jobs and CronJob runs of the apps this daemon applies: running, queued (with the scheduler&#39;s reason), failed (with the cause) and finished.',
    fragments: [{ id: JOBS_FRAGMENT_ID, html }],
  };
}
