import type { CompiledApp } from '../compile.js';
import { phaseLabel } from '../plan/plan-phases.js';
import { plural } from './markdown.js';

/** A phase the head no longer has, drawn apart from the chain. */
interface RemovedPhase {
  readonly label: string;
  readonly objects: number;
}

export interface PhaseDiagramOptions {
  readonly removed?: readonly RemovedPhase[];
}

const CHANGED_STYLE = 'fill:#fff3b0,stroke:#d4a017';
const REMOVED_STYLE = 'fill:#f6d5d5,stroke:#c0392b,stroke-dasharray:4 3';

/**
 * The app's phases as a Mermaid flowchart: one node per phase (`01 namespace`, its object count
 * and, for steps that deploy nothing, their type), chained in deploy order; changed phases (by
 * label, `03-app`) highlighted, removed ones in a subgraph of their own. Node ids are `p1`, `p2`...
 * and `r1`...; every label is quoted and escaped, so any phase name is safe.
 */
export function phaseDiagram(app: CompiledApp, changed: ReadonlySet<string>, options: PhaseDiagramOptions = {}): string {
  const lines = ['flowchart LR'];
  const changedIds: string[] = [];
  app.phases.forEach((p, i) => {
    const id = `p${i + 1}`;
    const kind = p.stepType === 'deploy' ? [] : [p.stepType];
    const count = p.stepType === 'deploy' || p.objects.length ? [plural(p.objects.length, 'object')] : [];
    lines.push(`  ${id}["${nodeText(`${String(p.index).padStart(2, '0')} ${p.name}`, ...kind, ...count)}"]`);
    if (changed.has(phaseLabel(p))) changedIds.push(id);
  });
  for (let i = 1; i < app.phases.length; i++) lines.push(`  p${i} --> p${i + 1}`);
  const removed = options.removed ?? [];
  if (removed.length) {
    lines.push('  subgraph gone["removed phases"]');
    removed.forEach((r, i) => lines.push(`    r${i + 1}["${nodeText(r.label.replace('-', ' '), plural(r.objects, 'object'))}"]`));
    lines.push('  end');
  }
  if (changedIds.length) lines.push(`  classDef changed ${CHANGED_STYLE}`, `  class ${changedIds.join(',')} changed`);
  if (removed.length) lines.push(`  classDef removed ${REMOVED_STYLE}`, `  class ${removed.map((_, i) => `r${i + 1}`).join(',')} removed`);
  return lines.join('\n') + '\n';
}

/** Lines of a node's label, escaped, joined by line breaks. */
function nodeText(...parts: string[]): string {
  return parts.map(escapeMermaid).join('<br/>');
}

/**
 * Text safe inside a quoted Mermaid label: anything but letters, digits and plain punctuation
 * becomes an entity code (`#35;` for `#`, `#quot;` for `"`), so that no quote, bracket, `#`,
 * `<` or backtick can end the label, start markup or the fence around the diagram.
 */
export function escapeMermaid(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/[^A-Za-z0-9 .,:_/+=()-]/gu, (c) => (c === '"' ? '#quot;' : `#${c.codePointAt(0)};`));
}
