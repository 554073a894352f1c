import { escapeHtml as esc } from '../view/escape-html.js';
import type { AppEntry, DashboardState } from './dashboard-state.js';
import { commitCell } from './commit-cell.js';
import { appPath } from './paths.js';
import { timeElement, type Fragment, type Page } from './page.js';
import { runBadge, runWords } from './run-status.js';

export interface AppsPageOptions {
  /** The filter box's text (`?q=`): without a script, the server filters the rows. */
  readonly q?: string;
  /** Why this replica shows nothing current: it is on standby (another holds the lease). */
  readonly standby?: string | undefined;
}

/** What the filter matches an app by: its key, environment, namespace and last outcome. */
function filterText(e: AppEntry): string {
  return [e.key, e.environment ?? '', e.namespace, runWords(e.run).text].join(' ').toLowerCase();
}

/** `/`: every app the daemon applies, with its last apply, commit and drift. */
export function appsPage(state: DashboardState, opts: AppsPageOptions = {}): Page {
  const q = (opts.q ?? '').trim().toLowerCase();
  const apps = state.apps();
  return {
    title: 'Apps',
    section: 'apps',
    heading: 'Apps',
    intro: 'Every app this daemon applies, with its last apply. Choose an app for its workflow, phase by phase.',
    fragments: [revisionFragment(state, opts.standby), filterFragment(opts.q ?? ''), appsFragment(apps, q, state)],
  };
}

function revisionFragment(state: DashboardState, standby: string | undefined): Fragment {
  const parts: string[] = [];
  if (standby) parts.push(`<p><strong>${esc(standby)}</strong></p>`);
  if (!state.revision) parts.push(standby ? '' : '<p>Waiting for the first fetch of the repository.</p>');
  else if (state.rejected)
    parts.push(
      `<p><strong>Revision ${commitCell(state.rejected.revision, state.commit(state.rejected.revision))} is not applied:</strong></p>`,
      `<ul class="cause">${state.rejected.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`,
      '<p>The apps below are those of the last revision that was.</p>',
    );
  else parts.push(`<p>Revision: ${commitCell(state.revision, state.commit(state.revision))}.</p>`);
  return { id: 'revision', html: `<section id="revision" aria-label="Revision">${parts.join('')}</section>` };
}

function filterFragment(q: string): Fragment {
  return {
    id: 'filter-form',
    html:
      `<form id="filter-form" role="search" method="get" action="/">` +
      `<label class="filter">Filter apps <input id="filter" type="search" name="q" value="${esc(q)}" aria-controls="apps" autocomplete="off"></label>` +
      `</form>`,
  };
}

function appsFragment(apps: readonly AppEntry[], q: string, state: DashboardState): Fragment {
  if (!apps.length) return { id: 'apps', html: '<section id="apps" aria-label="Apps"><p>No app yet.</p></section>' };
  const rows = apps.map((e) => {
    const text = filterText(e);
    const run = e.run;
    const failure = run?.failure ? `<br><span class="cause">${esc(run.failure.phase)}: ${esc(run.failure.message)}</span>` : '';
    const when = run ? timeElement(run.finishedAt ?? run.startedAt) : '—';
    const drift = e.drift === undefined ? 'not checked yet' : e.drift === 0 ? 'none' : e.drift === 1 ? '1 object' : `${e.drift} objects`;
    return (
      `<tr data-filter="${esc(text)}"${q && !text.includes(q) ? ' hidden' : ''}>` +
      `<th scope="row"><a href="${esc(appPath(e.key))}">${esc(e.key)}</a></th>` +
      `<td>${e.environment ? esc(e.environment) : '—'}</td>` +
      `<td><code>${esc(e.namespace)}</code></td>` +
      `<td>${runBadge(run)}${failure}</td>` +
      `<td>${run ? commitCell(run.revision, state.commit(run.revision)) : '—'}</td>` +
      `<td>${when}</td>` +
      `<td>${drift}</td>` +
      `</tr>`
    );
  });
  const shown = q ? apps.filter((e) => filterText(e).includes(q)).length : apps.length;
  return {
    id: 'apps',
    html: [
      '<section id="apps" aria-label="Apps">',
      '<table>',
      `<caption>${apps.length === 1 ? '1 app' : `${apps.length} apps`}<span class="filter-count">${q ? `, ${shown} shown` : ''}</span></caption>`,
      '<thead><tr><th scope="col">App</th><th scope="col">Environment</th><th scope="col">Namespace</th><th scope="col">Last apply</th><th scope="col">Commit</th><th scope="col">When</th><th scope="col">Drift</th></tr></thead>',
      `<tbody>${rows.join('')}</tbody>`,
      '</table>',
      '</section>',
    ].join(''),
  };
}
