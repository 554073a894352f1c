import { describe, expect, it } from 'vitest';
import type { CompiledApp } from '../../src/compile.js';
import { diffRendered } from '../../src/report/rendered-diff.js';
import { compiled, shop, shopSpec } from './fixtures.js';

const changedLines = (diff: string) => diff.split('\n').filter((l) => /^[-+]/.test(l));
const actions = (apps: ReturnType<typeof diffRendered>) => apps.flatMap((a) => a.objects.map((o) => `${o.action} ${o.ref.kind}/${o.ref.name}`));

describe('diffRendered', () => {
  it('the same specs: every app unchanged, nothing listed, everything counted', () => {
    const [app] = diffRendered(shop(), shop());
    expect(app).toMatchObject({ app: 'shop', namespace: 'shop', status: 'unchanged', objects: [] });
    expect(app!.summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 6, phases: 3, changedPhases: 0 });
    expect(app!.phases.map((p) => [p.label, p.status, p.changed])).toEqual([
      ['01-namespace', 'unchanged', false],
      ['02-data', 'unchanged', false],
      ['03-app', 'unchanged', false],
    ]);
  });

  it('an image bump is one update with exactly that line changed, and the version label of the workload and its pods', () => {
    const [app] = diffRendered(shop(), shop({ image: 'ghcr.io/acme/shop:1.5.0' }));
    expect(app!.status).toBe('changed');
    expect(app!.objects).toHaveLength(1);
    const [o] = app!.objects;
    expect(o).toMatchObject({
      action: 'update',
      ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
      component: 'web',
      phase: '03-app',
    });
    expect(o!.source).toMatch(/^kubemin\.yaml:\d+$/);
    expect(changedLines(o!.diff)).toEqual([
      '-    app.kubernetes.io/version: "1.4.0"',
      '+    app.kubernetes.io/version: "1.5.0"',
      '-        app.kubernetes.io/version: "1.4.0"',
      '+        app.kubernetes.io/version: "1.5.0"',
      '-          image: ghcr.io/acme/shop:1.4.0',
      '+          image: ghcr.io/acme/shop:1.5.0',
    ]);
    expect(app!.summary).toMatchObject({ create: 0, update: 1, delete: 0, unchanged: 5 });
    expect(app!.phases.filter((p) => p.changed).map((p) => [p.label, p.counts])).toEqual([['03-app', { create: 0, update: 1, delete: 0, unchanged: 2 }]]);
  });

  it("a Job whose template changed (a new name, its template's hash) is one replace with the diff between old and new", () => {
    const withJob = (image: string, extra: Record<string, unknown>[] = []) => {
      const spec = shopSpec();
      const components = [...(spec.components as Record<string, unknown>[]), { name: 'migrate', type: 'job', image }, ...extra];
      const steps = [
        ...(spec.workflow as { steps: Record<string, unknown>[] }).steps,
        { name: 'migrate', components: ['migrate', ...extra.map((c) => c.name)] },
      ];
      return compiled({ ...spec, components, workflow: { steps } }, { name: 'shop', namespace: 'shop' });
    };
    const [app] = diffRendered(withJob('ghcr.io/acme/migrate:1'), withJob('ghcr.io/acme/migrate:2'));
    const jobs = app!.objects.filter((o) => o.ref.kind === 'Job');
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    expect(job).toMatchObject({ action: 'replace', component: 'migrate', at: { side: 'head' } });
    expect(job!.ref.name).toMatch(/^migrate-[0-9a-f]{8}$/);
    expect(job!.replaces!.name).toMatch(/^migrate-[0-9a-f]{8}$/);
    expect(job!.replaces!.name).not.toBe(job!.ref.name);
    expect(changedLines(job!.diff)).toEqual(
      expect.arrayContaining([
        `-  name: ${job!.replaces!.name}`,
        `+  name: ${job!.ref.name}`,
        '-          image: ghcr.io/acme/migrate:1',
        '+          image: ghcr.io/acme/migrate:2',
      ]),
    );
    // Not a full create and delete: only the lines that differ.
    expect(changedLines(job!.diff).length).toBeLessThan(12);
    expect(actions([app!]).filter((a) => a.includes('Job/'))).toEqual([`replace Job/${job!.ref.name}`]);
    expect(app!.summary).toMatchObject({ create: 0, update: 1, delete: 0 });

    // Two components' Jobs that both change: each pairs with its own component's old Job.
    const two = diffRendered(
      withJob('ghcr.io/acme/migrate:1', [{ name: 'seed', type: 'job', image: 'ghcr.io/acme/seed:1' }]),
      withJob('ghcr.io/acme/migrate:2', [{ name: 'seed', type: 'job', image: 'ghcr.io/acme/seed:2' }]),
    )[0]!;
    expect(two.objects.filter((o) => o.ref.kind === 'Job').map((o) => [o.action, o.component, o.replaces?.name.split('-')[0]])).toEqual([
      ['replace', 'migrate', 'migrate'],
      ['replace', 'seed', 'seed'],
    ]);
    // A job added and another removed are a create and a delete, not a replace.
    const swapped = diffRendered(
      withJob('ghcr.io/acme/migrate:1'),
      compiled(
        {
          ...shopSpec(),
          components: [...(shopSpec().components as Record<string, unknown>[]), { name: 'seed', type: 'job', image: 'ghcr.io/acme/seed:1' }],
          workflow: { steps: [...(shopSpec().workflow as { steps: Record<string, unknown>[] }).steps, { name: 'migrate', components: ['seed'] }] },
        },
        { name: 'shop', namespace: 'shop' },
      ),
    )[0]!;
    expect(
      actions([swapped])
        .filter((a) => a.includes('Job/'))
        .map((a) => a.split(' ')[0])
        .sort(),
    ).toEqual(['create', 'delete']);
  });

  it('a removed component: its objects are deletes, at the base source and phase', () => {
    const [app] = diffRendered(shop(), shop({ worker: false }));
    expect(actions([app!])).toEqual(['delete Deployment/worker']);
    const [o] = app!.objects;
    expect(o).toMatchObject({ phase: '03-app', component: 'worker' });
    expect(changedLines(o!.diff).every((l) => l.startsWith('-'))).toBe(true);
    const phase = app!.phases.find((p) => p.label === '03-app')!;
    expect(phase).toMatchObject({ status: 'changed', changes: ['components -worker'], counts: { delete: 1 } });
  });

  it('a new app is added with every object a create; a gone app is removed with deletes', () => {
    const other = shop({}, { name: 'blog', namespace: 'blog' });
    const added = diffRendered(
      shop(),
      [...other, ...shop()].sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect(added.map((a) => [a.app, a.status])).toEqual([
      ['blog', 'added'],
      ['shop', 'unchanged'],
    ]);
    const blog = added[0]!;
    expect(blog.objects.every((o) => o.action === 'create')).toBe(true);
    expect(blog.summary).toMatchObject({ create: 6, update: 0, delete: 0, unchanged: 0, changedPhases: blog.summary.phases });
    expect(blog.phases.every((p) => p.status === 'added')).toBe(true);

    const removed = diffRendered([...other, ...shop()], shop());
    expect(removed[0]).toMatchObject({ app: 'blog', namespace: 'blog', status: 'removed', summary: { delete: 6 } });
    expect(removed[0]!.phases.every((p) => p.status === 'removed')).toBe(true);
  });

  it('a step inserted renumbers the phases after it without touching their objects', () => {
    const [app] = diffRendered(shop(), shop({ cache: true }));
    expect(actions([app!])).toEqual(['create Service/cache', 'create Service/cache-headless', 'create StatefulSet/cache']);
    expect(app!.phases.map((p) => [p.label, p.previous, p.status])).toEqual([
      ['01-namespace', null, 'unchanged'],
      ['02-data', null, 'unchanged'],
      ['03-cache', null, 'added'],
      ['04-app', '03-app', 'unchanged'],
    ]);
    expect(app!.summary).toMatchObject({ create: 3, update: 0, delete: 0, unchanged: 6, changedPhases: 1, phases: 4 });
  });

  it('a phase whose timeout changed is changed, with no object change', () => {
    const [app] = diffRendered(shop(), shop({ appTimeout: '10m' }));
    expect(app!.status).toBe('changed');
    expect(app!.objects).toEqual([]);
    expect(app!.phases.find((p) => p.changed)).toMatchObject({ label: '03-app', changes: ['timeout 5m → 10m'] });
  });

  it('a renamed step is matched to its old phase by its components', () => {
    const base = shop();
    const head = renamePhase(shop(), 'app', 'frontend');
    const [app] = diffRendered(base, head);
    expect(app!.phases.find((p) => p.label === '03-frontend')).toMatchObject({ previous: '03-app', status: 'changed', changes: ['renamed from 03-app'] });
    expect(app!.phases.some((p) => p.status === 'removed')).toBe(false);
  });

  it('a changed secret value is masked in data and stringData: before/after marks, never the value', () => {
    const [app] = diffRendered(shop({ password: 'hunter2-old' }), shop({ password: 'hunter2-new' }));
    const [o] = app!.objects;
    expect(o).toMatchObject({ action: 'update', ref: { kind: 'Secret', name: 'auth' } });
    expect(changedLines(o!.diff)).toEqual(['-  password: "*** (before)"', '+  password: "*** (after)"']);

    const withStringData = (apps: CompiledApp[], value: string) =>
      mapObjects(apps, (o) => (o.kind === 'Secret' ? { ...o, data: undefined, stringData: { password: value, user: 'admin-user' } } : o));
    const [sd] = diffRendered(withStringData(shop(), 'hunter2-old'), withStringData(shop(), 'hunter2-new'));
    const text = sd!.objects.map((x) => x.diff).join('\n');
    expect(changedLines(text)).toEqual(['-  password: "*** (before)"', '+  password: "*** (after)"']);
    expect(text).toContain('user: "***"');
    const created = diffRendered([], withStringData(shop(), 'hunter2-new'))[0]!.objects.find((x) => x.ref.kind === 'Secret')!;
    for (const t of [text, created.diff, JSON.stringify(diffRendered(shop({ password: 'hunter2-old' }), shop({ password: 'hunter2-new' })))]) {
      expect(t).not.toMatch(/hunter2|aHVudGVyMi|admin-user/);
    }
  });

  it('objects match by API group, kind, namespace and name, not by version', () => {
    const base = mapObjects(shop(), (o) => (o.kind === 'Deployment' && o.metadata.name === 'web' ? { ...o, apiVersion: 'apps/v1beta2' } : o));
    const [app] = diffRendered(base, shop());
    expect(actions([app!])).toEqual(['update Deployment/web']);
    expect(changedLines(app!.objects[0]!.diff)).toEqual(['-apiVersion: apps/v1beta2', '+apiVersion: apps/v1']);
  });
});

function mapObjects(apps: CompiledApp[], f: (o: any) => any): CompiledApp[] {
  return apps.map((a) => ({
    ...a,
    phases: a.phases.map((p) => ({ ...p, objects: p.objects.map((o) => ({ ...o, object: JSON.parse(JSON.stringify(f(o.object))) })) })),
  }));
}

function renamePhase(apps: CompiledApp[], from: string, to: string): CompiledApp[] {
  return apps.map((a) => ({ ...a, phases: a.phases.map((p) => (p.name === from ? { ...p, name: to } : p)) }));
}
