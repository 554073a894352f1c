import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { systemClock } from '../../src/apply/clock.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { connect } from '../../src/cluster/http-client.js';
import type { ApplyCallOptions, ClusterClient } from '../../src/cluster/types.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { Watcher, type WatchEvent } from '../../src/watch/daemon.js';
import { DirSource } from '../../src/watch/dir-source.js';
import { createLogger } from '../../src/watch/logger.js';
import { WatchMetrics } from '../../src/watch/metrics.js';
import { testCluster } from '../cluster/cluster.js';
import { tempDir } from '../helpers/cli.js';

/**
 * The daemon's job metrics, on the real test cluster (KWOK runs the pods: a Job pod of a `:fail`
 * image exits 1): the Watcher applies apps from a directory and its /metrics text counts their
 * Jobs by outcome, once each, with their durations and queue times.
 */

const cluster = testCluster();

function spec(name: string, ns: string, components: Array<Record<string, unknown>>): string {
  return emitYaml({ apiVersion: 'kubemin.dev/v1alpha1', kind: 'Application', metadata: { name, namespace: ns }, spec: { components } } as never);
}

function write(dir: string, name: string, text: string): void {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'kubemin.yaml'), text);
}

/** Holds the first server-side apply of a Job until released: the apply is then in its phase. */
interface Gate {
  held: boolean;
  release: () => void;
}

function holdingFirstJobApply(client: ClusterClient, gate: Gate): ClusterClient {
  let released: Promise<void> | undefined;
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'apply') {
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      }
      return async (object: K8sObject, opts: ApplyCallOptions) => {
        if (object.kind === 'Job' && !released) {
          released = new Promise((resolve) => (gate.release = resolve));
          gate.held = true;
          await released;
        }
        return target.apply(object, opts);
      };
    },
  });
}

async function startWatcher(
  dir: string,
  gate?: Gate,
): Promise<{
  metrics: WatchMetrics;
  events: WatchEvent[];
  text: () => Promise<string>;
  until: (what: string, check: () => boolean) => Promise<void>;
  round: () => Promise<void>;
}> {
  const client = await connect({ kubeconfig: cluster.kubeconfig });
  onTestFinished(() => client.close());
  const metrics = new WatchMetrics();
  const events: WatchEvent[] = [];
  let logs = '';
  const stop = new AbortController();
  const watcher = new Watcher({
    source: new DirSource(dir),
    client: gate ? holdingFirstJobApply(client, gate) : client,
    log: createLogger({ format: 'text', write: (l) => void (logs += l) }),
    metrics,
    clock: systemClock,
    intervalMs: 600_000,
    appConcurrency: 2,
    prune: true,
    drift: 'report',
    isLeader: () => true,
    apply: { pollMs: 200 },
    onEvent: (e) => void events.push(e),
  });
  const done = watcher.run(stop.signal);
  onTestFinished(async () => {
    stop.abort();
    await done;
  });
  const until = async (what: string, check: () => boolean): Promise<void> => {
    for (let i = 0; i < 900 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
    if (!check()) throw new Error(`timed out waiting for ${what}; log:\n${logs}`);
  };
  const rounds = (): number => events.filter((e) => e.type === 'round').length;
  return {
    metrics,
    events,
    text: () => metrics.registry.metrics(),
    until,
    // A round is complete once the next one started.
    round: async () => {
      const n = rounds();
      watcher.trigger();
      await until('a round', () => rounds() > n);
      watcher.trigger();
      await until('the next round', () => rounds() > n + 1);
    },
  };
}

const ends = (events: WatchEvent[], app: string): Array<Extract<WatchEvent, { type: 'apply-end' }>> =>
  events.filter((e): e is Extract<WatchEvent, { type: 'apply-end' }> => e.type === 'apply-end' && e.app === app);

describe('watch: job metrics', { timeout: 180_000 }, () => {
  it('counts a Job that succeeded and one that failed, once each (an unchanged Job applied again is not counted again), with duration and queue time; the phase under way in kubemin_phases_in_progress', async () => {
    const ns = await cluster.newNamespace('watch-jobs');
    const dir = tempDir();
    const web = { name: 'web', type: 'webservice', image: 'ghcr.io/acme/web:1.0', ports: [{ port: 8080 }] };
    write(dir, 'etl', spec('etl', ns, [{ name: 'migrate', type: 'job', image: 'ghcr.io/acme/migrate:1' }, web]));
    write(dir, 'broken', spec('broken', ns, [{ name: 'seed', type: 'job', image: 'ghcr.io/acme/seed:fail', job: { backoffLimit: 0 } }]));
    const gate: Gate = { held: false, release: () => undefined };
    const w = await startWatcher(dir, gate);
    // A Job's apply held: its app is in a phase.
    await w.until('a Job applied', () => gate.held);
    expect(await w.text()).toMatch(/kubemin_phases_in_progress\{app="(etl|broken)"\} 1\n/);
    gate.release();
    await w.until('both apps applied', () => ends(w.events, 'etl').length === 1 && ends(w.events, 'broken').length === 1);
    expect(ends(w.events, 'etl')[0]!.result.outcome).toBe('applied');
    expect(ends(w.events, 'broken')[0]!.result.outcome).toBe('failed');
    // The status reports say the Jobs as the apply last saw them (the web view's history).
    const time = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const [migrate] = ends(w.events, 'etl')[0]!.report.jobs ?? [];
    expect(ends(w.events, 'etl')[0]!.report.jobs).toHaveLength(1);
    expect(migrate).toEqual({
      object: expect.stringMatching(new RegExp(`^Job ${ns}/`)),
      component: 'migrate',
      startedAt: time,
      completedAt: time,
      attempts: 1,
      outcome: 'succeeded',
    });
    expect(Date.parse(migrate!.completedAt!)).toBeGreaterThanOrEqual(Date.parse(migrate!.startedAt!));
    expect(ends(w.events, 'broken')[0]!.report.jobs).toEqual([
      { object: expect.stringMatching(new RegExp(`^Job ${ns}/`)), component: 'seed', startedAt: time, completedAt: time, attempts: 1, outcome: 'failed' },
    ]);

    let text = await w.text();
    expect(text).toContain('kubemin_jobs_total{app="etl",component="migrate",outcome="succeeded"} 1\n');
    expect(text).toContain('kubemin_jobs_total{app="broken",component="seed",outcome="failed"} 1\n');
    expect(text).not.toMatch(/kubemin_jobs_total\{app="etl",component="migrate",outcome="failed"\}/);
    expect(text).toContain('kubemin_job_duration_seconds_count{app="etl",component="migrate"} 1\n');
    expect(text).toContain('kubemin_job_duration_seconds_count{app="broken",component="seed"} 1\n');
    expect(text).toContain('kubemin_job_queue_seconds_count{app="etl",component="migrate"} 1\n');
    // No apply under way any more.
    expect(text).toContain('kubemin_phases_in_progress{app="etl"} 0\n');

    // A new revision that changes the app's web component: the Job, unchanged, is applied again (found complete).
    write(
      dir,
      'etl',
      spec('etl', ns, [
        { name: 'migrate', type: 'job', image: 'ghcr.io/acme/migrate:1' },
        { ...web, image: 'ghcr.io/acme/web:1.1' },
      ]),
    );
    await w.round();
    await w.until('etl applied again', () => ends(w.events, 'etl').length === 2);
    const again = ends(w.events, 'etl')[1]!.result;
    expect(again.outcome).toBe('applied');
    expect(again.phases.flatMap((p) => p.objects).some((o) => o.ref.kind === 'Job' && o.action !== 'not-applied')).toBe(true);
    text = await w.text();
    expect(text).toContain('kubemin_jobs_total{app="etl",component="migrate",outcome="succeeded"} 1\n');
    expect(text).toContain('kubemin_job_duration_seconds_count{app="etl",component="migrate"} 1\n');
  });

  it("counts a CronJob's run when a drift round sees it finished", async () => {
    const ns = await cluster.newNamespace('watch-cron');
    const dir = tempDir();
    // A schedule that does not come during the test: the run is started by hand, as `kubectl create job --from` does.
    write(dir, 'nightly', spec('nightly', ns, [{ name: 'report', type: 'cronjob', image: 'ghcr.io/acme/report:1', schedule: '0 3 1 1 *' }]));
    const w = await startWatcher(dir);
    await w.until('the app applied', () => ends(w.events, 'nightly').length === 1);
    expect(ends(w.events, 'nightly')[0]!.result.outcome).toBe('applied');
    const cron = ends(w.events, 'nightly')[0]!
      .result.phases.flatMap((p) => p.objects)
      .find((o) => o.ref.kind === 'CronJob')!;
    expect(await w.text()).not.toMatch(/kubemin_jobs_total\{app="nightly"/);

    await cluster.kubectl(['create', 'job', 'report-manual', `--from=cronjob/${cron.ref.name}`, '-n', ns]);
    await cluster.kubectl(['wait', '--for=condition=Complete', 'job/report-manual', '-n', ns, '--timeout=60s']);
    await w.round();
    const text = await w.text();
    expect(text).toContain('kubemin_jobs_total{app="nightly",component="report",outcome="succeeded"} 1\n');
    expect(text).toContain('kubemin_job_duration_seconds_count{app="nightly",component="report"} 1\n');
    // The next drift round sees the same run: not counted again.
    await w.round();
    expect(await w.text()).toContain('kubemin_jobs_total{app="nightly",component="report",outcome="succeeded"} 1\n');
  });
});
