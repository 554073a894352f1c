import { describe, expect, it } from 'vitest';
import type { CompiledApp } from '../../src/compile.js';
import type { LiveDiff } from '../../src/report/live-section.js';
import { composeReport } from '../../src/report/compose.js';
import { diffRendered } from '../../src/report/rendered-diff.js';
import { compiled, shopSpec } from './fixtures.js';
import { expectBalanced } from './markdown-checks.js';

/** The pull request report of apps with environments: each environment's variant is an app of its own. */

const SHAS = { headSha: '1111111111111111111111111111111111111111', baseSha: '2222222222222222222222222222222222222222' };

function shop(o: { image?: string; stagingImage?: string; productionReplicas?: number } = {}): CompiledApp[] {
  return compiled(
    {
      ...shopSpec({ ...(o.image ? { image: o.image } : {}) }),
      environments: [
        { name: 'staging', namespace: 'shop-staging', components: o.stagingImage ? { web: { image: o.stagingImage } } : {} },
        { name: 'production', namespace: 'shop-production', components: { web: { replicas: o.productionReplicas ?? 3 } } },
      ],
    },
    { name: 'shop', namespace: 'shop' },
  );
}

const blog = () =>
  compiled({ components: [{ name: 'blog', type: 'webservice', image: 'ghcr.io/acme/blog:1', ports: [{ port: 8080 }] }] }, { name: 'blog', namespace: 'blog' });

describe('the report of apps with environments', () => {
  it('an override of one environment changes that environment only', () => {
    const rendered = diffRendered([...blog(), ...shop()], [...blog(), ...shop({ stagingImage: 'ghcr.io/acme/shop:1.5.0-rc.1' })]);
    expect(rendered.map((a) => [a.key, a.environment, a.status])).toEqual([
      ['blog', undefined, 'unchanged'],
      ['production/shop', 'production', 'unchanged'],
      ['staging/shop', 'staging', 'changed'],
    ]);
    const staging = rendered.find((a) => a.key === 'staging/shop')!;
    expect(staging.objects.map((o) => `${o.action} ${o.ref.kind} ${o.ref.namespace}/${o.ref.name}`)).toEqual(['update Deployment shop-staging/web']);
  });

  it('a change of the base changes every environment: a section and a summary row each', () => {
    const head = shop({ image: 'ghcr.io/acme/shop:1.5.0' });
    const rendered = diffRendered(shop(), head);
    expect(rendered.map((a) => `${a.key} ${a.status}`)).toEqual(['production/shop changed', 'staging/shop changed']);
    const [c] = composeReport({ rendered, headApps: head, ...SHAS }).comments;
    expect(c).toContain('| app | environment | status | phases (changed/total) | create | update | delete |');
    expect(c).toContain('| shop | production | changed | 1/3 | 0 | 1 | 0 |');
    expect(c).toContain('| shop | staging | changed | 1/3 | 0 | 1 | 0 |');
    expect(c).toContain('<details><summary><b>shop</b> in <b>production</b> (changed): 1 to update; 1 of 3 phases changed</summary>');
    expect(c).toContain('<details><summary><b>shop</b> in <b>staging</b> (changed): 1 to update; 1 of 3 phases changed</summary>');
    expect(c).toContain('<code>Deployment shop-production/web</code> update');
    expect(c).toContain('<code>Deployment shop-staging/web</code> update');
    // Each section's diagram is its own environment's.
    expect(c!.match(/```mermaid/g)).toHaveLength(2);
    expectBalanced(c!);
  });

  it('an app without environments beside them: a dash in the environment column; an environment added is added', () => {
    const base = [...blog(), ...shop()].filter((a) => a.environment !== 'staging');
    const head = [
      ...compiled(
        { components: [{ name: 'blog', type: 'webservice', image: 'ghcr.io/acme/blog:2', ports: [{ port: 8080 }] }] },
        { name: 'blog', namespace: 'blog' },
      ),
      ...shop(),
    ];
    const rendered = diffRendered(base, head);
    expect(rendered.map((a) => `${a.key} ${a.status}`)).toEqual(['blog changed', 'production/shop unchanged', 'staging/shop added']);
    const [c] = composeReport({ rendered, headApps: head, ...SHAS }).comments;
    expect(c).toContain('| blog | – | changed |');
    expect(c).toContain('<details><summary><b>blog</b> (changed)');
    expect(c).toContain('<details><summary><b>shop</b> in <b>staging</b> (added)');
    expect(c).not.toContain('<b>shop</b> in <b>production</b>');
  });

  it('the live diff names the environment, and says which were not compared', () => {
    const head = shop();
    const web = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop-production', name: 'web' };
    const live: LiveDiff = {
      apps: [
        {
          app: 'shop',
          environment: 'production',
          namespace: 'shop-production',
          objects: [
            {
              action: 'update' as const,
              ref: web,
              component: 'web',
              source: 'kubemin.yaml:9',
              phase: '03-app',
              diff: '@@ -1 +1 @@\n-  replicas: 2\n+  replicas: 3\n',
              note: null,
            },
          ],
          problems: [],
        },
      ],
      notCompared: ['application "shop" (environment "staging"): its cluster "staging-eu" is not a context of the kubeconfig'],
    };
    const [c] = composeReport({ rendered: diffRendered(shop({ productionReplicas: 2 }), head), headApps: head, live, ...SHAS }).comments;
    const section = c!.slice(c!.indexOf('#### In the cluster'));
    expect(section).toContain(
      '_Not compared with the cluster: application "shop" (environment "staging"): its cluster "staging-eu" is not a context of the kubeconfig_',
    );
    expect(section).toContain('| app | environment | namespace | create | update | delete | unchanged | errors |');
    expect(section).toContain('| shop | production | shop-production | 0 | 1 | 0 | 0 | 0 |');
    expect(section).toContain('shop in production: <code>Deployment shop-production/web</code> update');
    expectBalanced(c!);
  });
});
