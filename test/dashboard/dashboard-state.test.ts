import { describe, expect, it } from 'vitest';
import type { AppApplyResult, PhaseResult } from '../../src/apply/types.js';
import type { CompiledApp } from '../../src/compile.js';
import { appPage } from '../../src/dashboard/app-page.js';
import { appsPage } from '../../src/dashboard/apps-page.js';
import { DashboardState, runFromReport } from '../../src/dashboard/dashboard-state.js';
import { renderPage } from '../../src/dashboard/page.js';
import { buildStatusReport } from '../../src/watch/status-report.js';
import { compileApp } from '../helpers/spec.js';

const SECRET = 'hunter2-very-secret';

/** shop: config, then a migration Job, then web (dependsOn config), with a Secret. */
function shop(): CompiledApp {
  const r = compileApp(
    {
      components: [
        { name: 'settings', type: 'config', data: { MODE: 'live' } },
        { name: 'creds', type: 'secret', stringData: { PASSWORD: SECRET } },
        { name: 'migrate', type: 'job', image: 'ghcr.io/acme/migrate:1' },
        { name: 'web', type: 'webservice', image: 'ghcr.io/acme/web:1', ports: [{ port: 8080 }], dependsOn: ['settings'] },
      ],
      workflow: {
        steps: [
          { name: 'config', components: ['settings', 'creds'] },
          { name: 'migrate', components: ['migrate'] },
          { name: 'web', components: ['web'] },
        ],
      },
    },
    { name: 'shop', namespace: 'shop' },
  );
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.apps[0]!;
}

const T0 = Date.parse('2026-12-04T10:00:00Z');

function phaseResult(app: CompiledApp, i: number, outcome: PhaseResult['outcome'], extra: Partial<PhaseResult> = {}): PhaseResult {
  const p = app.phases[i]!;
  return {
    index: p.index,
    name: p.name,
    stepType: 'deploy',
    outcome,
    startedAt: null,
    finishedAt: null,
    durationMs: 1500,
    attempts: 1,
    objects: p.objects.map((o) => ({
      ref: { apiVersion: o.object.apiVersion, kind: o.object.kind, name: o.object.metadata.name, namespace: o.object.metadata.namespace ?? 'shop' },
      component: o.component ?? null,
      source: null,
      action: 'created' as const,
      state: outcome === 'ready' ? ('ready' as const) : ('failed' as const),
      message: outcome === 'ready' ? '' : 'BackoffLimitExceeded: Job has reached the specified backoff limit',
    })),
    reasons: outcome === 'ready' ? [] : ['Job shop/migrate: BackoffLimitExceeded (kubemin.yaml:14)'],
    ...extra,
  };
}

function result(app: CompiledApp, failAt: number | undefined): AppApplyResult {
  const phases = app.phases.map((_, i) =>
    failAt === undefined || i < failAt ? phaseResult(app, i, 'ready') : i === failAt ? phaseResult(app, i, 'failed') : phaseResult(app, i, 'skipped'),
  );
  return {
    app: 'shop',
    namespace: 'shop',
    outcome: failAt === undefined ? 'applied' : 'failed',
    startedAt: '2026-12-04T10:00:00.000Z',
    finishedAt: '2026-12-04T10:00:09.000Z',
    durationMs: 9000,
    phases,
    pruned: [],
    failure: failAt === undefined ? null : { phase: app.phases[failAt]!.name, message: 'Job shop/migrate: BackoffLimitExceeded' },
    warnings: [],
  };
}

const body = (html: string): string => html.slice(html.indexOf('<body'));

describe('the dashboard state, from the daemon events', () => {
  it("shows each phase's state while an apply runs: waiting, applying, waiting for ready with counts, ready", () => {
    const app = shop();
    const state = new DashboardState();
    state.revisionCompiled('a'.repeat(40), [{ app, last: undefined }]);
    expect(state.apps().map((e) => [e.key, e.run])).toEqual([['shop', undefined]]);
    state.applyStarted('shop', 'a'.repeat(40), 'commit', T0);
    const names = app.phases.map((p) => p.name);
    state.progress('shop', { type: 'phase-start', app: 'shop', phase: names[1]!, index: 2, objects: 3, attempt: 1 }, T0 + 10);
    state.progress('shop', { type: 'phase-progress', app: 'shop', phase: names[1]!, ready: 1, total: 3, waitingFor: 'Job shop/migrate' }, T0 + 20);
    const run = state.app('shop')!.run!;
    expect(run.status).toBe('in-progress');
    expect([...run.phases].map(([n, p]) => [n, p.status, p.ready, p.total])).toEqual([
      [names[0], 'waiting', undefined, undefined],
      [names[1], 'waiting-for-ready', 1, 3],
      ...names.slice(2).map((n) => [n, 'waiting', undefined, undefined]),
    ]);
    const page = appPage(state.app('shop')!, () => undefined);
    const html = page.fragments.map((f) => f.html).join('\n');
    expect(html).toContain('waiting for ready (1/3)');
    expect(html).toContain('waiting for Job shop/migrate');
    expect(html).toMatch(/class="phase [^"]*state-busy"/);
  });

  it('a failed phase shows its cause on the app page and "failed" in the apps list; later phases are skipped', () => {
    const app = shop();
    const state = new DashboardState();
    state.revisionCompiled('b'.repeat(40), [{ app, last: undefined }]);
    state.applyStarted('shop', 'b'.repeat(40), 'commit', T0);
    const failAt = app.phases.findIndex((p) => p.objects.some((o) => o.object.kind === 'Job'));
    state.applyEnded('shop', 'b'.repeat(40), 'commit', result(app, failAt));
    const list = body(renderPage(appsPage(state)));
    expect(list).toContain('<span class="state state-bad">failed</span>');
    expect(list).toContain('BackoffLimitExceeded');
    const page = appPage(state.app('shop')!, () => undefined)
      .fragments.map((f) => f.html)
      .join('\n');
    expect(page).toContain('Job shop/migrate: BackoffLimitExceeded (kubemin.yaml:14)');
    expect(page).toMatch(/<td class="cause">BackoffLimitExceeded: Job has reached the specified backoff limit<\/td><td><code>kubemin\.yaml:\d+<\/code><\/td>/);
    expect(page).toContain('>skipped<');
  });

  it('an unschedulable phase reads "rejected by scheduling"', () => {
    const app = shop();
    const state = new DashboardState();
    state.revisionCompiled('c'.repeat(40), [{ app, last: undefined }]);
    const r = result(app, 1);
    state.applyEnded('shop', 'c'.repeat(40), 'commit', { ...r, phases: r.phases.map((p, i) => (i === 1 ? { ...p, outcome: 'unschedulable' as const } : p)) });
    expect(body(renderPage(appsPage(state)))).toContain('rejected by scheduling');
  });

  it('before any apply of its own, an app shows the last status report from git; a new revision keeps the run it has', () => {
    const app = shop();
    const report = buildStatusReport(result(app, undefined), { commit: 'd'.repeat(40), trigger: 'commit', bundleDigest: 'x' });
    const state = new DashboardState();
    state.revisionCompiled('d'.repeat(40), [{ app, last: report }]);
    const run = state.app('shop')!.run!;
    expect(run).toEqual(runFromReport(report));
    expect(run.fromReport).toBe(true);
    expect([...run.phases.keys()]).toEqual(app.phases.map((p) => p.name));
    expect(appPage(state.app('shop')!, () => undefined).fragments[0]!.html).toContain('from the status report in git');
    state.revisionCompiled('e'.repeat(40), [{ app, last: undefined }]);
    expect(state.app('shop')!.run).toBe(run);
    expect(state.app('shop')!.revision).toBe('e'.repeat(40));
  });

  it('a refused revision is said above the apps, with its problems; the apps of the last good revision stay', () => {
    const state = new DashboardState();
    state.revisionCompiled('f'.repeat(40), [{ app: shop(), last: undefined }]);
    state.revisionRejected('0'.repeat(40), ['kubemin.yaml:3:5: unknown field "replicaz" (schema)']);
    const html = body(renderPage(appsPage(state)));
    expect(html).toContain('is not applied:');
    expect(html).toContain('kubemin.yaml:3:5: unknown field &quot;replicaz&quot; (schema)');
    expect(state.apps()).toHaveLength(1);
  });

  it('the filter (?q=) hides the rows that do not match, server-side', () => {
    const state = new DashboardState();
    const other = { ...shop(), name: 'books', namespace: 'books' };
    state.revisionCompiled('1'.repeat(40), [
      { app: shop(), last: undefined },
      { app: other, last: undefined },
    ]);
    const html = appsPage(state, { q: 'BOO' }).fragments.find((f) => f.id === 'apps')!.html;
    expect(html).toMatch(/<tr data-filter="shop [^"]*" hidden>/);
    expect(html).toMatch(/<tr data-filter="books [^"]*">/);
    expect(html).toContain(', 1 shown');
  });

  it('drift, commit subjects and the dependsOn edge reach the pages; hostile text is escaped, scrubbed text masked', () => {
    const state = new DashboardState((t) => t.replaceAll('creds', '***'));
    state.revisionCompiled('2'.repeat(40), [{ app: shop(), last: undefined }]);
    state.driftChecked('shop', 2);
    state.applyStarted('shop', '2'.repeat(40), 'drift', T0);
    state.setCommit('2'.repeat(40), { subject: '<script>alert(1)</script> fix', authorName: 'Ann', time: new Date(T0) });
    const list = body(renderPage(appsPage(state)));
    expect(list).toContain('2 objects');
    expect(list).toContain('&lt;script&gt;alert(1)&lt;/script&gt; fix');
    expect(list).not.toContain('<script>alert');
    const page = appPage(state.app('shop')!, (sha) => state.commit(sha))
      .fragments.map((f) => f.html)
      .join('');
    expect(page).toContain('class="edge edge-depends-on"');
    expect(page).not.toContain('creds');
    expect(page).toContain('2 objects differ from the bundle');
  });
});
