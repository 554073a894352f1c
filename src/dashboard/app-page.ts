import { formatRef } from '../k8s/object-ref.js';
import { escapeHtml as esc } from '../view/escape-html.js';
import { layoutGraph } from '../view/layout-graph.js';
import { renderSvg } from '../view/render-svg.js';
import type { PhaseNode } from '../view/view-model.js';
import { historyPath } from './paths.js';
import { commitCell } from './commit-cell.js';
import type { AppEntry, CommitInfo, ObjectRun, PhaseRun } from './dashboard-state.js';
import { formatMs, stateBadge, timeElement, type Fragment, type Page } from './page.js';
import { phaseClass, phaseLine, phaseWords, runBadge } from './run-status.js';

/**
 * `/apps/<key>`: the app's workflow as a graph whose boxes say where each phase stands (and are
 * coloured by it), then each phase with its objects: readiness, cause, and the spec line they come
 * from. Each box links to its phase below. Every part is a fragment the event stream sends again
 * while an apply runs.
 */
export function appPage(entry: AppEntry, commit: (sha: string) => CommitInfo | undefined): Page {
  return {
    title: entry.key,
    section: 'apps',
    breadcrumbs: [{ href: '/', text: 'Apps' }],
    heading: entry.key,
    intro: `Namespace <code>${esc(entry.namespace)}</code>${entry.environment ? `, environment <code>${esc(entry.environment)}</code>` : ''}, declared at <code>${esc(entry.view.source)}</code>. <a href="${esc(historyPath(entry.key))}">History of its applies</a>.`,
    fragments: [summaryFragment(entry, commit), graphFragment(entry), phasesFragment(entry)],
  };
}

function summaryFragment(entry: AppEntry, commit: (sha: string) => CommitInfo | undefined): Fragment {
  const run = entry.run;
  const facts: string[] = [];
  if (!run) facts.push(`<li>Last apply: ${runBadge(undefined)}</li>`);
  else {
    const source = run.fromReport ? ' (from the status report in git: before this daemon started)' : '';
    facts.push(`<li>Last apply: ${runBadge(run)}, on ${esc(run.trigger)}${source}</li>`);
    facts.push(`<li>Commit: ${commitCell(run.revision, commit(run.revision))}</li>`);
    facts.push(
      `<li>Started ${timeElement(run.startedAt)}${run.finishedAt ? `, finished ${timeElement(run.finishedAt)}` : ''}${run.durationMs !== undefined ? ` (${formatMs(run.durationMs)})` : ''}</li>`,
    );
    if (run.failure) facts.push(`<li class="cause">Failed in phase ${esc(run.failure.phase)}: ${esc(run.failure.message)}</li>`);
  }
  if (run && run.revision !== entry.revision) facts.push(`<li>The plan below is of revision ${commitCell(entry.revision, commit(entry.revision))}.</li>`);
  const drift =
    entry.drift === undefined ? 'not checked yet' : entry.drift === 0 ? 'none' : `${entry.drift} object${entry.drift === 1 ? '' : 's'} differ from the bundle`;
  facts.push(`<li>Drift: ${drift}</li>`);
  return { id: 'app-summary', html: `<section id="app-summary" aria-label="Last apply"><ul>${facts.join('')}</ul></section>` };
}

function graphFragment(entry: AppEntry): Fragment {
  const runOf = (p: PhaseNode): PhaseRun | undefined => entry.run?.phases.get(entry.plan.phases[p.index - 1]!.name);
  const layout = layoutGraph(entry.view, { status: (p) => phaseLine(runOf(p)) });
  return {
    id: 'app-graph',
    html: [
      '<figure id="app-graph">',
      renderSvg(entry.view, layout, { nodeClass: (p) => phaseClass(runOf(p)) }),
      `<figcaption>The workflow of ${esc(entry.key)}, top to bottom: each box a phase, with where it stands; choose one for its objects. A solid arrow is the workflow's order, a dashed one a <code>dependsOn</code>. The list below says the same in words.</figcaption>`,
      '</figure>',
    ].join('\n'),
  };
}

function phasesFragment(entry: AppEntry): Fragment {
  const items = entry.view.phases.map((node) => {
    const planPhase = entry.plan.phases[node.index - 1]!;
    const run = entry.run?.phases.get(planPhase.name);
    const words = run ? phaseWords(run.status) : { text: 'not applied yet', tone: 'idle' as const };
    const facts = [`step type ${esc(node.type)}`, `mode ${esc(node.mode)}`, `timeout ${esc(node.timeout)}`];
    if (run?.durationMs !== undefined && run.status !== 'waiting' && run.status !== 'skipped') facts.push(`took ${formatMs(run.durationMs)}`);
    if (run?.startedAt !== undefined && run.durationMs === undefined) facts.push(`started ${timeElement(new Date(run.startedAt).toISOString())}`);
    if (run?.total) facts.push(`${run.ready ?? 0} of ${run.total} objects ready`);
    if (run && run.attempt > 1) facts.push(`attempt ${run.attempt}`);
    if (run?.waitingFor) facts.push(`waiting for ${esc(run.waitingFor)}`);
    const byRef = new Map((run?.objects ?? []).map((o) => [o.ref, o]));
    const rows = planPhase.objects.map((o, i) => {
      const ref = formatRef({ apiVersion: o.apiVersion, kind: o.kind, name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}) });
      const view = node.objects[i]!;
      return objectRow(view.kind, view.name, view.component, view.source, byRef.get(ref));
    });
    const reasons = run?.reasons.length
      ? `<ul class="cause" aria-label="Why phase ${esc(node.name)} is not ready">${run.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>`
      : '';
    return [
      `<li id="${node.id}" tabindex="-1">`,
      `<h3>${node.index}. ${esc(node.name)} ${stateBadge(words.text, words.tone)}</h3>`,
      `<p>${facts.join('; ')}.</p>`,
      reasons,
      planPhase.objects.length
        ? `<table><caption>Objects of phase ${esc(node.name)}</caption><thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Component</th><th scope="col">Readiness</th><th scope="col">Cause</th><th scope="col">Source</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
        : '<p>No objects.</p>',
      '</li>',
    ].join('');
  });
  return { id: 'app-phases', html: `<section id="app-phases" aria-label="Phases"><h2>Phases</h2><ol class="phases">${items.join('')}</ol></section>` };
}

function objectRow(kind: string, name: string, component: string | null, source: string, run: ObjectRun | undefined): string {
  const state = run ? objectState(run) : '—';
  const cause =
    run && run.state !== 'ready'
      ? [run.reason, run.message, run.pod ? `pod ${run.pod}` : undefined]
          .filter(Boolean)
          .map((t) => esc(t!))
          .join(': ')
      : '';
  return (
    `<tr><td>${esc(kind)}</td><td><code>${esc(name)}</code></td><td>${component === null ? '—' : esc(component)}</td>` +
    `<td>${state}</td><td${cause ? ' class="cause"' : ''}>${cause}</td><td><code>${esc(source)}</code></td></tr>`
  );
}

function objectState(run: ObjectRun): string {
  const tone =
    run.state === 'ready'
      ? 'ok'
      : run.state === 'failed' || run.state === 'unschedulable' || run.action === 'failed'
        ? 'bad'
        : run.state === 'progressing'
          ? 'busy'
          : 'idle';
  const action = run.action === 'not-applied' ? 'not applied' : run.action;
  return `${stateBadge(run.state, tone)} <span class="meta">${esc(action)}</span>`;
}
