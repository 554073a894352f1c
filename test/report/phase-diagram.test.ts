import { describe, expect, it } from 'vitest';
import type { CompiledApp } from '../../src/compile.js';
import { escapeMermaid, phaseDiagram } from '../../src/report/phase-diagram.js';
import { shop } from './fixtures.js';

/** Node ids and edges of a flowchart, for structural checks. */
function parse(text: string) {
  const lines = text.trimEnd().split('\n');
  const nodes = lines.flatMap((l) => [...l.matchAll(/^\s*([a-z]\d+)\["([^"]*)"\]$/g)].map((m) => ({ id: m[1]!, label: m[2]! })));
  const edges = lines.flatMap((l) => [...l.matchAll(/^\s*(p\d+) --> (p\d+)$/g)].map((m) => [m[1]!, m[2]!]));
  return { lines, nodes, edges };
}

describe('phaseDiagram', () => {
  it('a serial chain of the phases in order, with their object counts', () => {
    const app = shop({ cache: true })[0]!;
    const text = phaseDiagram(app, new Set());
    expect(text.startsWith('flowchart LR\n')).toBe(true);
    const { nodes, edges } = parse(text);
    expect(nodes).toEqual([
      { id: 'p1', label: '01 namespace<br/>1 object' },
      { id: 'p2', label: '02 data<br/>2 objects' },
      { id: 'p3', label: '03 cache<br/>3 objects' },
      { id: 'p4', label: '04 app<br/>3 objects' },
    ]);
    expect(edges).toEqual([
      ['p1', 'p2'],
      ['p2', 'p3'],
      ['p3', 'p4'],
    ]);
    expect(text).not.toContain('classDef');
    expect(phaseDiagram(app, new Set())).toBe(text);
  });

  it('changed phases are styled, removed phases are drawn apart, unlinked', () => {
    const app = shop()[0]!;
    const text = phaseDiagram(app, new Set(['01-namespace', '03-app']), { removed: [{ label: '03-cache', objects: 3 }] });
    expect(text).toContain('  classDef changed fill:#fff3b0,stroke:#d4a017\n  class p1,p3 changed\n');
    expect(text).toContain('  subgraph gone["removed phases"]\n    r1["03 cache<br/>3 objects"]\n  end\n');
    expect(text).toMatch(/class r1 removed\n$/);
    expect(parse(text).edges).toEqual([
      ['p1', 'p2'],
      ['p2', 'p3'],
    ]);
  });

  it('odd phase names cannot break out of their label', () => {
    const app = shop()[0]!;
    const odd: CompiledApp = { ...app, phases: app.phases.map((p, i) => (i === 1 ? { ...p, name: 'a"b[c]#d<e>`f\nend' } : p)) };
    const text = phaseDiagram(odd, new Set());
    const { nodes, lines } = parse(text);
    expect(nodes.map((n) => n.id)).toEqual(['p1', 'p2', 'p3']);
    expect(nodes[1]!.label).toBe('02 a#quot;b#91;c#93;#35;d#60;e#62;#96;f end<br/>2 objects');
    for (const n of nodes) expect(n.label.replace(/<br\/>/g, '')).not.toMatch(/["[\]<>`]/);
    expect(lines.every((l) => l === 'flowchart LR' || /^\s+(p\d+\[".*"\]|p\d+ --> p\d+|class.*)$/.test(l))).toBe(true);
    expect(escapeMermaid('😀')).toBe('#128512;');
  });

  it('steps that deploy nothing show their type', () => {
    const app = shop()[0]!;
    const gpu: CompiledApp = { ...app, phases: [...app.phases, { ...app.phases[2]!, index: 4, name: 'gpu', stepType: 'gpu-preflight', objects: [] }] };
    expect(parse(phaseDiagram(gpu, new Set())).nodes[3]).toEqual({ id: 'p4', label: '04 gpu<br/>gpu-preflight' });
  });
});
