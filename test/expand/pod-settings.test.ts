import { describe, expect, it } from 'vitest';
import { imageTag, versionLabels } from '../../src/expand/version-label.js';
import { codes, compileApp, find, objectsOf } from '../helpers/spec.js';

const web = (extra: Record<string, unknown> = {}) => ({ name: 'web', type: 'webservice', image: 'ghcr.io/acme/web:1.4.0', ports: [{ port: 8080 }], ...extra });
const template = (r: ReturnType<typeof compileApp>, kind = 'Deployment') => find(r, kind).spec.template;
const VERSION = 'app.kubernetes.io/version';

describe('trait pod', () => {
  it("sets the pod template's labels and annotations (sorted), its grace period and pull secrets; the workload keeps its own metadata", () => {
    const r = compileApp({
      components: [
        web({
          labels: { team: 'web', tier: 'front' },
          traits: {
            pod: {
              labels: { 'sidecar.istio.io/inject': 'false', tier: 'edge' },
              annotations: { 'prometheus.io/scrape': 'true', 'a.example.com/b': 'c' },
              terminationGracePeriodSeconds: 45,
              imagePullSecrets: ['regcred', 'registry.example.com'],
            },
          },
        }),
      ],
    });
    expect(r.diagnostics).toEqual([]);
    const t = template(r);
    expect(t.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'web', team: 'web', tier: 'edge', 'sidecar.istio.io/inject': 'false' });
    expect(Object.keys(t.metadata.annotations)).toEqual(['a.example.com/b', 'prometheus.io/scrape']);
    expect(t.spec.terminationGracePeriodSeconds).toBe(45);
    expect(t.spec.imagePullSecrets).toEqual([{ name: 'regcred' }, { name: 'registry.example.com' }]);
    const deployment = find(r, 'Deployment');
    expect(deployment.metadata.labels.tier).toBe('front');
    expect(deployment.metadata.annotations).toBeUndefined();
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/instance': 'app', 'app.kubernetes.io/name': 'web' });
  });

  it("refuses kubemin's own labels, and on a job the labels Kubernetes puts on its pods, at the key", () => {
    const r = compileApp({
      components: [
        web({ traits: { pod: { labels: { 'app.kubernetes.io/name': 'other', ok: 'yes' } } } }),
        { name: 'migrate', type: 'job', image: 'm:1', traits: { pod: { labels: { 'job-name': 'x' } } } },
      ],
    });
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([
      ['reserved-label', expect.any(Number), expect.any(Number)],
      ['reserved-label', expect.any(Number), expect.any(Number)],
    ]);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      'label "app.kubernetes.io/name" is set by kubemin and cannot be overridden',
      'label "job-name" is set by Kubernetes on the pods of every Job, and it refuses a Job that sets it',
    ]);
    expect(r.apps).toEqual([]);
  });

  it('a pull secret of the app is a secret component of a registry type, deployed no later than its reader', () => {
    const regcred = (secretType?: string) => ({
      name: 'regcred',
      type: 'secret',
      stringData: { '.dockerconfigjson': '{"auths":{}}' },
      ...(secretType ? { secretType } : {}),
    });
    const reader = web({ dependsOn: ['regcred'], traits: { pod: { imagePullSecrets: ['regcred'] } } });
    const ok = compileApp({ components: [regcred('kubernetes.io/dockerconfigjson'), reader] });
    expect(codes(ok)).toEqual(['plain-secret']);
    expect(codes(compileApp({ components: [regcred(), reader] })).sort()).toEqual(['plain-secret', 'pull-secret-type']);
    const later = compileApp({
      components: [{ ...regcred('kubernetes.io/dockerconfigjson'), dependsOn: ['web'] }, web({ traits: { pod: { imagePullSecrets: ['regcred'] } } })],
    });
    expect(codes(later).sort()).toEqual(['plain-secret', 'reference-order']);
  });
});

describe('trait lifecycle', () => {
  it('a preStop sleep (no program needed) or command, on the main container and a sidecar', () => {
    const r = compileApp({
      components: [
        web({
          traits: {
            lifecycle: { preStop: { sleepSeconds: 5 } },
            sidecar: [{ name: 'proxy', image: 'envoy:1', traits: { lifecycle: { preStop: { command: ['/bin/drain'] } } } }],
          },
        }),
      ],
    });
    expect(r.diagnostics).toEqual([]);
    const [main, proxy] = template(r).spec.containers;
    expect(main.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(proxy.lifecycle).toEqual({ preStop: { exec: { command: ['/bin/drain'] } } });
  });

  it("on a job's sidecar (a native sidecar: an init container that keeps running) it is allowed; on an init container refused", () => {
    const hook = { lifecycle: { preStop: { sleepSeconds: 1 } } };
    const job = compileApp({ components: [{ name: 'j', type: 'job', image: 'j:1', traits: { sidecar: [{ name: 's', image: 's:1', traits: hook }] } }] });
    expect(find(job, 'Job').spec.template.spec.initContainers[0]).toMatchObject({
      name: 's',
      restartPolicy: 'Always',
      lifecycle: { preStop: { sleep: { seconds: 1 } } },
    });
    const init = compileApp({ components: [web({ traits: { init: [{ name: 'setup', image: 's:1', traits: hook }] } })] });
    expect(codes(init)).toEqual(['lifecycle-on-init']);
  });

  it('takes exactly one action, and a sleep shorter than the grace period', () => {
    expect(codes(compileApp({ components: [web({ traits: { lifecycle: { preStop: {} } } })] }))).toEqual(['lifecycle-handler']);
    expect(codes(compileApp({ components: [web({ traits: { lifecycle: { preStop: { sleepSeconds: 1, command: ['x'] } } } })] }))).toEqual([
      'lifecycle-handler',
    ]);
    // The default grace period is 30 s.
    const tooLong = compileApp({ components: [web({ traits: { lifecycle: { preStop: { sleepSeconds: 30 } } } })] });
    expect(codes(tooLong)).toEqual(['prestop-exceeds-grace']);
    expect(tooLong.diagnostics[0]!.message).toContain('(terminationGracePeriodSeconds, the default)');
    const raised = compileApp({ components: [web({ traits: { lifecycle: { preStop: { sleepSeconds: 30 } }, pod: { terminationGracePeriodSeconds: 40 } } })] });
    expect(codes(raised)).toEqual([]);
  });
});

describe('app.kubernetes.io/version', () => {
  it('is the image tag: not a digest, not latest, never an invalid label value', () => {
    expect(imageTag('registry:5000/acme/web:1.2.3@sha256:abc')).toBe('1.2.3');
    expect(imageTag('registry:5000/acme/web')).toBeUndefined();
    expect(versionLabels('nginx:1.27')).toEqual({ [VERSION]: '1.27' });
    expect(versionLabels('ghcr.io/acme/web@sha256:0123')).toEqual({});
    expect(versionLabels('nginx')).toEqual({});
    expect(versionLabels('nginx:latest')).toEqual({});
    expect(versionLabels(`nginx:v${'1'.repeat(63)}`)).toEqual({}); // 64 characters
    expect(versionLabels('nginx:1.0-')).toEqual({}); // a label value ends with a letter or digit
    expect(versionLabels('nginx:_build')).toEqual({});
    expect(versionLabels(undefined)).toEqual({});
  });

  it("goes on the workload and its pod template only, never in a selector; the user's own label wins", () => {
    const r = compileApp({
      components: [
        web({ traits: { autoscale: { maxReplicas: 3 } } }),
        { name: 'db', type: 'store', image: 'postgres:16.2', traits: { storage: [{ name: 'data', type: 'persistent' }] } },
        { name: 'nightly', type: 'cronjob', image: 'ghcr.io/acme/report:2.0', schedule: '@daily' },
        { name: 'pinned', type: 'worker', image: 'ghcr.io/acme/w:3.1', labels: { [VERSION]: '3.1-custom' } },
      ],
    });
    expect(r.diagnostics).toEqual([]);
    const carriers = objectsOf(r)
      .filter((o) => o.metadata.labels?.[VERSION] !== undefined)
      .map((o) => `${o.kind}/${o.metadata.name}=${o.metadata.labels[VERSION]}`)
      .sort();
    // pinned's own label is a component label: on all of its objects, as written.
    expect(carriers).toEqual(['CronJob/nightly=2.0', 'Deployment/pinned=3.1-custom', 'Deployment/web=1.4.0', 'StatefulSet/db=16.2']);
    expect(find(r, 'Deployment', 'web').spec.template.metadata.labels[VERSION]).toBe('1.4.0');
    expect(find(r, 'Deployment', 'pinned').spec.template.metadata.labels[VERSION]).toBe('3.1-custom');
    expect(find(r, 'CronJob').spec.jobTemplate.metadata.labels[VERSION]).toBe('2.0');
    expect(find(r, 'CronJob').spec.jobTemplate.spec.template.metadata.labels[VERSION]).toBe('2.0');
    const db = find(r, 'StatefulSet');
    expect(db.spec.volumeClaimTemplates[0].metadata.labels[VERSION]).toBeUndefined(); // immutable
    for (const o of objectsOf(r)) {
      expect(JSON.stringify(o.spec?.selector ?? {})).not.toContain(VERSION);
    }
  });
});

describe('storage from objects the app does not create', () => {
  it('mounts existing claims, ConfigMaps and Secrets by their full names (DNS subdomains), some keys only, optionally', () => {
    const r = compileApp({
      components: [
        web({
          traits: {
            storage: [
              { name: 'ca', type: 'config', sourceName: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'certs/ca.pem' }] },
              { name: 'tls', type: 'secret', sourceName: 'web.example.com-tls', optional: true },
              { name: 'shared', type: 'persistent', claimName: 'nfs.shared-data' },
            ],
          },
        }),
      ],
    });
    expect(r.diagnostics).toEqual([]);
    expect(template(r).spec.volumes).toEqual([
      { name: 'ca', configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'certs/ca.pem' }], defaultMode: 420 } },
      { name: 'tls', secret: { secretName: 'web.example.com-tls', defaultMode: 420, optional: true } },
      { name: 'shared', persistentVolumeClaim: { claimName: 'nfs.shared-data' } },
    ]);
    expect(objectsOf(r).some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
  });

  it('refuses item paths that clash or start with .., and items or optional where they mean nothing', () => {
    const items = (...paths: string[]) => paths.map((path, i) => ({ key: `k${i}`, path }));
    const storage = [
      { name: 'a', type: 'config', sourceName: 'c', items: items('..data') },
      { name: 'b', type: 'secret', sourceName: 's', items: items('x', 'x') },
      { name: 'c', type: 'persistent', optional: true },
      { name: 'd', type: 'ephemeral', items: items('y') },
    ];
    expect(codes(compileApp({ components: [web({ traits: { storage } })] }))).toEqual([
      'storage-item-path',
      'storage-item-path',
      'storage-field-unused',
      'storage-field-unused',
    ]);
  });
});
