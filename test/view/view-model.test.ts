import { describe, expect, it } from 'vitest';
import { layoutGraph } from '../../src/view/layout-graph.js';
import { viewModel } from '../../src/view/view-model.js';
import { phase, plan } from './view-fixture.js';

const chain = plan('shop', [phase(1, 'db', ['db']), phase(2, 'api', ['api']), phase(3, 'web', ['web', 'assets'])]);

describe('the graph model of a plan', () => {
  it('links each phase to the next in workflow order', () => {
    const [app] = viewModel([chain]);
    expect(app!.phases.map((p) => `${p.index} ${p.name}`)).toEqual(['1 db', '2 api', '3 web']);
    expect(app!.edges).toEqual([
      { from: 'app-shop--1', to: 'app-shop--2', reasons: ['order'] },
      { from: 'app-shop--2', to: 'app-shop--3', reasons: ['order'] },
    ]);
  });

  it('adds an edge for a dependsOn across phases, and marks the order edge it coincides with', () => {
    const dependsOn = new Map([
      [
        'shop',
        {
          web: ['db', 'assets'],
          api: ['db'],
          assets: ['gone'],
        },
      ],
    ]);
    const [app] = viewModel([chain], { dependsOn });
    expect(app!.edges.map((e) => `${e.from}>${e.to} ${e.reasons.join('+')}`)).toEqual([
      'app-shop--1>app-shop--2 dependsOn+order',
      'app-shop--1>app-shop--3 dependsOn',
      'app-shop--2>app-shop--3 order',
    ]);
  });

  it("keys an environment's variant as <env>/<app>, with ids unique in the page", () => {
    const apps = viewModel([plan('shop', [phase(1, 'a', ['a'])], 'dev'), plan('shop', [phase(1, 'a', ['a'])], 'prod'), plan('dev-shop', [])]);
    expect(apps.map((a) => [a.key, a.id])).toEqual([
      ['dev/shop', 'app-dev-shop'],
      ['prod/shop', 'app-prod-shop'],
      ['dev-shop', 'app-dev-shop-2'],
    ]);
  });

  it('passes every text through scrub', () => {
    const [app] = viewModel([plan('shop', [phase(1, 'hush', ['hush'])])], { scrub: (t) => t.replaceAll('hush', '***') });
    expect(JSON.stringify(app)).not.toContain('hush');
    expect(app!.phases[0]!.objects[0]).toEqual({ kind: 'ConfigMap', name: '***', component: '***', source: 'kubemin.yaml:11' });
  });
});

describe('layout (dagre)', () => {
  it('places the phases top to bottom in workflow order, every edge with points', () => {
    const [app] = viewModel([chain], { dependsOn: new Map([['shop', { web: ['db'] }]]) });
    const layout = layoutGraph(app!);
    const ys = layout.nodes.map((n) => n.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect(new Set(ys).size).toBe(3);
    expect(layout.edges).toHaveLength(3);
    for (const e of layout.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
    for (const n of layout.nodes) {
      expect(n.x + n.width).toBeLessThanOrEqual(layout.width);
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height);
    }
  });
});
