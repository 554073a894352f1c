import dagre, { type Point } from '@dagrejs/dagre';
import type { AppView, EdgeReason, PhaseNode } from './view-model.js';

/** Approximate width of a character of the node text (13px sans-serif), for the node's box. */
const CHAR_WIDTH = 7.5;
export const PADDING = 14;
const MIN_WIDTH = 150;
export const LINE_HEIGHT = 18;

export interface PlacedNode {
  readonly phase: PhaseNode;
  /** Top-left corner and size. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The lines of text in the box, first the phase's number and name. */
  readonly lines: readonly string[];
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  readonly reasons: readonly EdgeReason[];
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number }>;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

export interface LayoutOptions {
  /** A last line for a phase's box (the daemon's view: where the phase stands). */
  readonly status?: (phase: PhaseNode) => string | undefined;
}

/** The text of a phase's box: what a sighted reader sees at a glance (the list below has the rest). */
function nodeLines(phase: PhaseNode, opts: LayoutOptions): string[] {
  const objects = phase.objects.length === 1 ? '1 object' : `${phase.objects.length} objects`;
  const type = phase.type === 'deploy' ? phase.mode : `${phase.type}, ${phase.mode}`;
  const lines = [`${phase.index}. ${phase.name}`, `${type}, timeout ${phase.timeout}`, objects];
  if (phase.changes !== undefined) lines.push(phase.changes ? `live: ${phase.changes} to change` : 'live: no change');
  const status = opts.status?.(phase);
  if (status !== undefined) lines.push(status);
  return lines;
}

/**
 * Places the phases of an app top to bottom with dagre (a layered, Sugiyama-style layout). Pure
 * and deterministic: dagre is given the nodes and edges in the same order every time, and the
 * coordinates are rounded so that the SVG text does not depend on floating-point noise.
 */
export function layoutGraph(app: AppView, opts: LayoutOptions = {}): GraphLayout {
  const g = new dagre.graphlib.Graph({ multigraph: false, directed: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 36, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const lines = new Map<string, string[]>();
  for (const phase of app.phases) {
    const text = nodeLines(phase, opts);
    lines.set(phase.id, text);
    const width = Math.max(MIN_WIDTH, Math.ceil(Math.max(...text.map((l) => l.length)) * CHAR_WIDTH) + 2 * PADDING);
    g.setNode(phase.id, { width, height: text.length * LINE_HEIGHT + PADDING });
  }
  for (const e of app.edges) g.setEdge(e.from, e.to, {});
  dagre.layout(g);
  const nodes = app.phases.map((phase) => {
    const n = g.node(phase.id);
    return { phase, x: round(n.x - n.width / 2), y: round(n.y - n.height / 2), width: n.width, height: n.height, lines: lines.get(phase.id)! };
  });
  const edges = app.edges.map((e) => ({ ...e, points: (g.edge(e.from, e.to).points ?? []).map((p: Point) => ({ x: round(p.x), y: round(p.y) })) }));
  const graph = g.graph();
  return { width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), nodes, edges };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
