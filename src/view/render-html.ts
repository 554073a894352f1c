import { escapeHtml as esc } from './escape-html.js';
import { GRAPH_STYLE, htmlDocument } from './html-document.js';
import { layoutGraph } from './layout-graph.js';
import { renderSvg } from './render-svg.js';
import type { LiveApp, LiveObject } from './live-diff.js';
import type { AppView, PhaseEdge, PhaseNode } from './view-model.js';

export interface HtmlOptions {
  /** The environment the plans are for (`--env`), shown in the title. */
  readonly env?: string;
}

/** Everything the page needs is inline (style, SVG; no script): nothing is fetched when it is opened. */
const STYLE = `
:root { color-scheme: light; font-family: system-ui, sans-serif; color: #1b1f24; background: #fff; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.35rem; border-top: 1px solid #d0d7de; padding-top: 1rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; } h4 { font-size: 1rem; margin: 0 0 .25rem; }
.meta, .legend { color: #3d444d; }
code { font-family: ui-monospace, monospace; font-size: .9em; }
.phase rect { fill: #ddf4ff; stroke: #0969da; stroke-width: 1.5; }
.phase.type-other rect { fill: #fff8c5; stroke: #9a6700; stroke-dasharray: 6 3; }
.phase:focus > rect:first-child, .phase:hover > rect:first-child { stroke: #1b1f24; stroke-width: 3.5; }
table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
a { color: #0550ae; }
td.changed { font-weight: 600; }
pre { font-size: .85em; overflow-x: auto; background: #f6f8fa; padding: .5rem; }
`;

/** The page of `kubemin view`: every app's workflow as a graph, and the same as lists and tables. Pure and deterministic. */
export function renderHtml(apps: readonly AppView[], opts: HtmlOptions = {}): string {
  const title = `kubemin view${opts.env ? `: environment ${opts.env}` : ''}`;
  const count = apps.length === 1 ? '1 application' : `${apps.length} applications`;
  return htmlDocument({
    title,
    // Nothing may be loaded from elsewhere, even by a spec's text.
    csp: "default-src 'none'; style-src 'unsafe-inline'",
    style: STYLE + GRAPH_STYLE,
    body: [
      '<header>',
      `<h1>${esc(title)}</h1>`,
      `<p class="meta">The plan of ${count}: the phases each is deployed in, in order, and the objects of each phase with the line of the spec they come from.</p>`,
      '<p class="legend">In each graph a box is a phase, numbered in the order of the workflow; a box with a double border deploys its components in parallel, a dashed yellow one is a check (a step type other than deploy). A solid arrow is the order of the workflow, a dashed arrow a <code>dependsOn</code> between components of two phases that are not next to each other. Each box links to its phase in the list below the graph.</p>',
      apps.length > 1 ? `<nav aria-label="Applications"><ul>${apps.map((a) => `<li><a href="#${a.id}">${esc(a.key)}</a></li>`).join('')}</ul></nav>` : '',
      '</header>',
      '<main>',
      ...apps.map(renderApp),
      '</main>',
    ],
  });
}

function renderApp(app: AppView): string {
  const byId = new Map(app.phases.map((p) => [p.id, p]));
  const env = app.environment ? `, environment <code>${esc(app.environment)}</code>` : '';
  return [
    `<section id="${app.id}" aria-labelledby="${app.id}-h">`,
    `<h2 id="${app.id}-h">${esc(app.key)}</h2>`,
    `<p class="meta">Namespace <code>${esc(app.namespace)}</code>${env}, declared at <code>${esc(app.source)}</code>.</p>`,
    app.live ? renderLive(app.live) : '',
    `<figure>`,
    renderSvg(app, layoutGraph(app)),
    `<figcaption>The workflow of ${esc(app.key)}; the list below says the same in words.</figcaption>`,
    `</figure>`,
    `<h3>Phases of ${esc(app.key)}</h3>`,
    `<ol class="phases">`,
    ...app.phases.map((p) => renderPhase(p, app.edges, byId)),
    `</ol>`,
    `</section>`,
  ]
    .filter((l) => l !== '')
    .join('\n');
}

function renderPhase(phase: PhaseNode, edges: readonly PhaseEdge[], byId: ReadonlyMap<string, PhaseNode>): string {
  const after = edges.filter((e) => e.to === phase.id).map((e) => `${esc(byId.get(e.from)!.name)} (${e.reasons.map(reasonText).join(', ')})`);
  const facts = [
    `step type ${esc(phase.type)}`,
    `mode ${esc(phase.mode)}`,
    `timeout ${esc(phase.timeout)}`,
    `retries ${phase.retries}`,
    `components: ${phase.components.length ? phase.components.map((c) => `<code>${esc(c)}</code>`).join(', ') : 'none'}`,
    `after: ${after.length ? after.join('; ') : 'nothing (first phase)'}`,
  ];
  return [
    `<li id="${phase.id}">`,
    `<h4>${phase.index}. ${esc(phase.name)}</h4>`,
    `<p>${facts.join('; ')}.</p>`,
    phase.objects.length ? renderObjects(phase) : '<p>No objects.</p>',
    `</li>`,
  ].join('\n');
}

function renderObjects(phase: PhaseNode): string {
  const live = phase.changes !== undefined;
  const rows = phase.objects.map(
    (o) =>
      `<tr><td>${esc(o.kind)}</td><td><code>${esc(o.name)}</code></td><td>${o.component === null ? '—' : esc(o.component)}</td><td><code>${esc(o.source)}</code></td>` +
      (live ? liveCell(o.live) : '') +
      '</tr>',
  );
  return [
    '<table>',
    `<caption>Objects of phase ${esc(phase.name)}</caption>`,
    `<thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Component</th><th scope="col">Source</th>${live ? '<th scope="col">Live</th>' : ''}</tr></thead>`,
    `<tbody>${rows.join('')}</tbody>`,
    '</table>',
  ].join('\n');
}

function liveCell(live: LiveObject | undefined): string {
  if (!live) return '<td>not compared</td>';
  return `<td${live.changed ? ' class="changed"' : ''}>${liveText(live)}</td>`;
}

/** The action in words, the note, and the diff under a disclosure. */
function liveText(live: LiveObject): string {
  const note = live.note ? ` (${esc(live.note)})` : '';
  const diff = live.diff ? `<details><summary>diff of ${esc(live.ref)}</summary><pre>${esc(live.diff)}</pre></details>` : '';
  return `${esc(live.action)}${note}${diff}`;
}

function renderLive(live: LiveApp): string {
  const parts = [`<p class="live">Live diff with the cluster: ${esc(live.summary)}.</p>`];
  if (live.problems.length) parts.push(`<p>Not compared:</p><ul>${live.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`);
  if (live.deletes.length) {
    parts.push(`<p>Applied before and no longer in the bundle (deleted by <code>apply --prune</code>):</p>`);
    parts.push(`<ul>${live.deletes.map((d) => `<li>${esc(d.ref)}: ${liveText(d)}</li>`).join('')}</ul>`);
  }
  return parts.join('\n');
}

function reasonText(reason: PhaseEdge['reasons'][number]): string {
  switch (reason) {
    case 'order':
      return 'workflow order';
    case 'dependsOn':
      return 'dependsOn';
  }
}
