import { escapeHtml as esc } from './escape-html.js';
import { LINE_HEIGHT, PADDING, type GraphLayout, type PlacedEdge, type PlacedNode } from './layout-graph.js';
import type { AppView, PhaseNode } from './view-model.js';

/**
 * The workflow of an app as inline SVG: each phase a box that is a link to its entry in the list
 * below (focusable with Tab, named by its aria-label), each edge an arrow. Meaning never rests on
 * colour alone: the box's text says the mode and type, a parallel phase has a double border, a
 * phase of another step type than deploy a dashed one; a dependsOn edge is dashed.
 */
export interface SvgOptions {
  /** More classes of a phase's node (the daemon's view: its state, e.g. `state-ok`). */
  readonly nodeClass?: (phase: PhaseNode) => string | undefined;
}

export function renderSvg(app: AppView, layout: GraphLayout, opts: SvgOptions = {}): string {
  const arrow = `${app.id}-arrow`;
  const count = app.phases.length === 1 ? '1 phase' : `${app.phases.length} phases`;
  return [
    `<svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="group" aria-label="${esc(`Workflow of ${app.key}: ${count}, top to bottom`)}">`,
    `<defs><marker id="${arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="arrowhead"/></marker></defs>`,
    `<g class="edges" aria-hidden="true">`,
    ...layout.edges.map((e) => renderEdge(e, arrow)),
    `</g>`,
    `<g class="phases">`,
    ...layout.nodes.map((n) => renderNode(n, app.phases.length, opts.nodeClass?.(n.phase))),
    `</g>`,
    `</svg>`,
  ].join('\n');
}

function renderEdge(edge: PlacedEdge, arrow: string): string {
  const d = edge.points.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join('');
  const kind = edge.reasons.includes('order') ? 'edge-order' : 'edge-depends-on';
  return `<path class="edge ${kind}" d="${d}" marker-end="url(#${arrow})" data-from="${edge.from}" data-to="${edge.to}"/>`;
}

function renderNode(node: PlacedNode, total: number, extraClass: string | undefined): string {
  const p = node.phase;
  const shape = [
    p.mode === 'parallel' ? 'mode-parallel' : 'mode-serial',
    p.type === 'deploy' ? 'type-deploy' : 'type-other',
    ...(extraClass ? [extraClass] : []),
  ].join(' ');
  const label = `Phase ${p.index} of ${total}: ${p.name}. ${node.lines.slice(1).join('. ')}`;
  const inner =
    p.mode === 'parallel' ? `<rect class="inner" x="${node.x + 4}" y="${node.y + 4}" width="${node.width - 8}" height="${node.height - 8}" rx="4"/>` : '';
  const text = node.lines
    .map((l, i) => `<text x="${node.x + PADDING}" y="${node.y + PADDING / 2 + (i + 1) * LINE_HEIGHT - 4}"${i ? '' : ' class="title"'}>${esc(l)}</text>`)
    .join('');
  return (
    `<a class="phase ${shape}" href="#${p.id}" tabindex="0" aria-label="${esc(label)}" data-phase="${esc(p.name)}" id="${p.id}-node">` +
    `<rect x="${node.x}" y="${node.y}" width="${node.width}" height="${node.height}" rx="6"/>${inner}${text}</a>`
  );
}
