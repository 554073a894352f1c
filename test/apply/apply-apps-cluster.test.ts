import { describe, expect, it, onTestFinished } from 'vitest';
import { applyApp } from '../../src/apply/apply-app.js';
import { applyApps } from '../../src/apply/apply-apps.js';
import type { ApplyEvent } from '../../src/apply/types.js';
import { connect } from '../../src/cluster/http-client.js';
import type { ClusterClient } from '../../src/cluster/types.js';
import type { CompiledApp } from '../../src/compile.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { testCluster } from '../cluster/cluster.js';
import { recordedClient } from '../cluster/recorded-client.js';
import { onePhaseApp } from '../helpers/one-phase-app.js';

/** Several apps at once, and created / configured / unchanged told without a GET per object, against the real API server. */

const cluster = testCluster();

const configMap = (ns: string, name: string, value: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns },
  data: { value },
});
const service = (ns: string, name: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] },
});

const app = (name: string, ns: string, objects: K8sObject[]): CompiledApp => onePhaseApp(name, ns, objects);

async function admin(): Promise<ClusterClient> {
  const c = await connect({ kubeconfig: cluster.kubeconfig });
  onTestFinished(() => c.close());
  return c;
}

describe('apply: several apps, and what changed without a GET per object', () => {
  it('created, configured and unchanged from one LIST per kind and namespace (the inventory in it), an apply only for what changes, its response the first readiness look', async () => {
    const ns = await cluster.newNamespace('apps-actions');
    const client = await admin();
    const first = await applyApp(app('acts', ns, [configMap(ns, 'one', '1'), configMap(ns, 'two', '2'), service(ns, 'web'), service(ns, 'api')]), client, {
      pollMs: 100,
    });
    expect(first.phases[0]!.objects.map((o) => o.action)).toEqual(['created', 'created', 'created', 'created']);

    const calls: string[] = [];
    const again = await applyApp(
      app('acts', ns, [configMap(ns, 'one', '1'), configMap(ns, 'two', 'changed'), service(ns, 'web'), service(ns, 'api'), configMap(ns, 'three', '3')]),
      recordedClient(client, calls),
      { pollMs: 100 },
    );
    expect(again.outcome).toBe('applied');
    expect(again.phases[0]!.objects.map((o) => `${o.ref.name}:${o.action}`)).toEqual([
      'one:unchanged',
      'two:configured',
      'web:unchanged',
      'api:unchanged',
      'three:created',
    ]);
    // Before applying: the two LISTs alone (the inventory is one of the ConfigMaps); no GET of any object.
    const firstApply = calls.findIndex((c) => c.startsWith('apply'));
    expect(calls.slice(0, firstApply).sort()).toEqual(['list ConfigMap', 'list Service']);
    // Applied: the changed and the new ConfigMap, and the inventory once (written ahead of the phase: it gains three).
    // The unchanged objects, applied by kubemin exactly so before, are not sent at all.
    expect(calls.filter((c) => c.startsWith('apply '))).toEqual(['apply ConfigMap', 'apply ConfigMap', 'apply ConfigMap']);
    // Ready at the first look, which is the object the apply returned: no GET at all.
    expect(calls.filter((c) => c.startsWith('get '))).toEqual([]);
  });

  it("records every phase's objects in the inventory once, ahead of the first phase that applies; one never applied is pruned as gone", async () => {
    const ns = await cluster.newNamespace('apps-ahead');
    const client = await admin();
    const source = { file: 'kubemin.yaml', line: 1, col: 1, pointer: '' };
    const phase = (index: number, objects: K8sObject[]) => ({
      index,
      name: `p${index}`,
      step: `p${index}`,
      stepType: 'deploy',
      mode: 'parallel' as const,
      timeout: '1m',
      retries: 0,
      components: ['c'],
      objects: objects.map((object) => ({ object, component: 'c', source })),
    });
    const phased = (phases: ReturnType<typeof phase>[]): CompiledApp => ({ name: 'ahead', namespace: ns, source, phases });
    const calls: string[] = [];
    const first = await applyApp(
      phased([phase(1, [configMap(ns, 'one', '1')]), phase(2, [service(ns, 'web')]), phase(3, [configMap(ns, 'two', '2')])]),
      recordedClient(client, calls),
      { pollMs: 100 },
    );
    expect(first.outcome).toBe('applied');
    // Three objects and the inventory: one write of it, before the first phase, not one per phase.
    expect(calls.filter((c) => c.startsWith('apply '))).toEqual(['apply ConfigMap', 'apply ConfigMap', 'apply Service', 'apply ConfigMap']);
    const inventory = (await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'kubemin-inventory-ahead' }))!;
    expect(
      String((inventory as unknown as { data: { objects: string } }).data.objects)
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).name),
    ).toEqual(['one', 'two', 'web']);

    // Stopped in its second phase (a Service the API server refuses): the third phase's object is
    // recorded, never applied; a later bundle without it prunes it, finding it gone.
    const bad: K8sObject = { ...service(ns, 'web'), spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 70000, protocol: 'TCP' }] } };
    const stopped = await applyApp(phased([phase(1, [configMap(ns, 'one', '1')]), phase(2, [bad]), phase(3, [configMap(ns, 'three', '3')])]), client, {
      pollMs: 100,
    });
    expect(stopped.outcome).toBe('failed');
    expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'three' })).toBeUndefined();
    const pruned = await applyApp(phased([phase(1, [configMap(ns, 'one', '1')]), phase(2, [service(ns, 'web')])]), client, { pollMs: 100, prune: true });
    expect(pruned.outcome).toBe('applied');
    expect(pruned.pruned.map((r) => `${r.ref.name}:${r.action}`).sort()).toEqual(['three:gone', 'two:deleted']);
  });

  it('independent apps at once, an app sharing a namespace after the one before it; events and results in app order', async () => {
    const [a, b] = [await cluster.newNamespace('apps-a'), await cluster.newNamespace('apps-b')];
    const apps = [app('first', a, [configMap(a, 'one', '1')]), app('second', b, [configMap(b, 'one', '1')]), app('third', a, [configMap(a, 'two', '2')])];
    const client = await admin();
    const events: ApplyEvent[] = [];
    const results = await applyApps(apps, { clientOf: () => client, optionsOf: () => ({ pollMs: 100 }), onEvent: (e) => events.push(e) });
    expect(results.map((r) => `${r.app}:${r.outcome}`)).toEqual(['first:applied', 'second:applied', 'third:applied']);
    const appOf = (e: ApplyEvent): string => (e.type === 'app-end' ? e.result.app : e.app);
    const order = events.map(appOf).filter((x, i, all) => all[i - 1] !== x);
    expect(order).toEqual(['first', 'second', 'third']);
    expect(events.filter((e) => e.type === 'app-start' || e.type === 'app-end').map((e) => `${e.type} ${appOf(e)}`)).toEqual([
      'app-start first',
      'app-end first',
      'app-start second',
      'app-end second',
      'app-start third',
      'app-end third',
    ]);
    // The third shares the first's namespace: it started once the first finished.
    expect(Date.parse(results[2]!.startedAt)).toBeGreaterThanOrEqual(Date.parse(results[0]!.finishedAt));
    // The second did not wait for the first.
    expect(Date.parse(results[1]!.startedAt)).toBeLessThanOrEqual(Date.parse(results[0]!.finishedAt));
  });
});
