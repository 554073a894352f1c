import { describe, expect, it } from 'vitest';
import { compileApp, find, objectsOf } from '../helpers/spec.js';

const SELECTOR = { 'app.kubernetes.io/instance': 'app', 'app.kubernetes.io/name': 'web' };

describe('component types', () => {
  it('webservice: Deployment, and a Service only with ports; selectors use instance and name only', () => {
    const withPorts = compileApp({ components: [{ name: 'web', type: 'webservice', image: 'x', replicas: 2, ports: [{ port: 8080 }] }] });
    const d = find(withPorts, 'Deployment', 'web');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.selector.matchLabels).toEqual(SELECTOR);
    expect(d.metadata.labels).toMatchObject({
      'app.kubernetes.io/component': 'webservice',
      'app.kubernetes.io/managed-by': 'kubemin',
      'app.kubernetes.io/part-of': 'app',
    });
    const s = find(withPorts, 'Service', 'web');
    expect(s.spec.selector).toEqual(SELECTOR);
    expect(s.spec.ports).toEqual([{ name: 'p8080', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    const noPorts = compileApp({ components: [{ name: 'web', type: 'webservice', image: 'x' }] });
    expect(objectsOf(noPorts).map((o) => o.kind)).toEqual(['Deployment']);
  });

  it('worker: a Deployment and never a Service', () => {
    const r = compileApp({ components: [{ name: 'w', type: 'worker', image: 'x', ports: [{ port: 9090, name: 'metrics' }] }] });
    expect(objectsOf(r).map((o) => o.kind)).toEqual(['Deployment']);
  });

  it('store: StatefulSet with serviceName <c>-headless, a headless Service, and a Service with ports', () => {
    const r = compileApp({ components: [{ name: 'db', type: 'store', image: 'x', ports: [{ port: 5432 }] }] });
    expect(find(r, 'StatefulSet', 'db').spec.serviceName).toBe('db-headless');
    expect(find(r, 'Service', 'db-headless').spec.clusterIP).toBe('None');
    expect(find(r, 'Service', 'db').spec.type).toBe('ClusterIP');
  });

  it('job: the name hashes the pod template, so only a changed template runs anew', () => {
    const job = (extra: Record<string, unknown>) =>
      find(compileApp({ components: [{ name: 'migrate', type: 'job', image: 'x:1', ...extra }] }), 'Job').metadata.name as string;
    const base = job({});
    expect(base).toMatch(/^migrate-[0-9a-f]{8}$/);
    expect(job({})).toBe(base);
    expect(job({ image: 'x:2' })).not.toBe(base);
    expect(job({ command: ['migrate'] })).not.toBe(base);
    // Mutable Job settings do not re-run it.
    expect(job({ job: { backoffLimit: 5, ttlSecondsAfterFinished: 60 } })).toBe(base);
    expect(job({ job: { completions: 3 } })).not.toBe(base);
    const spec = find(compileApp({ components: [{ name: 'm', type: 'job', image: 'x' }] }), 'Job').spec;
    expect(spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(spec.selector).toBeUndefined();
  });

  it('cronjob: schedule, Forbid by default, job settings in the template', () => {
    const r = compileApp({
      components: [
        { name: 'nightly', type: 'cronjob', image: 'x', schedule: '0 3 * * *', timeZone: 'Europe/Berlin', job: { backoffLimit: 1, restartPolicy: 'Never' } },
      ],
    });
    const c = find(r, 'CronJob', 'nightly');
    expect(c.spec).toMatchObject({ schedule: '0 3 * * *', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid' });
    expect(c.spec.jobTemplate.spec.backoffLimit).toBe(1);
    expect(c.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('config and secret', () => {
    const r = compileApp({
      components: [
        { name: 'cfg', type: 'config', data: { A: '1', 'f.txt': 'x\ny\n' } },
        { name: 'sec', type: 'secret', stringData: { TOKEN: 't' } },
      ],
    });
    expect(find(r, 'ConfigMap', 'cfg').data).toEqual({ A: '1', 'f.txt': 'x\ny\n' });
    expect(find(r, 'Secret', 'sec')).toMatchObject({ type: 'Opaque', data: { TOKEN: 'dA==' } });
  });

  it('labels: recommended, then app labels, then component labels; annotations on every object', () => {
    const r = compileApp(
      { components: [{ name: 'web', type: 'worker', image: 'x', labels: { tier: 'front', team: 'override' } }] },
      { labels: { team: 'payments' }, annotations: { owner: 'me' } },
    );
    const d = find(r, 'Deployment');
    expect(d.metadata.labels).toMatchObject({ team: 'override', tier: 'front', 'app.kubernetes.io/name': 'web' });
    expect(d.metadata.annotations).toEqual({ owner: 'me' });
    expect(d.spec.template.metadata.labels.tier).toBe('front');
  });

  it('env keeps the order written, main container first', () => {
    const r = compileApp({ components: [{ name: 'w', type: 'worker', image: 'x', env: { Z: '1', A: '2', M: '3' } }] });
    expect(find(r, 'Deployment').spec.template.spec.containers[0].env.map((e: { name: string }) => e.name)).toEqual(['Z', 'A', 'M']);
  });
});
