import { describe, expect, it } from 'vitest';
import { podTemplateOf } from '../../src/k8s/pod-templates.js';
import type { PodSecurityLevel } from '../../src/spec/types.js';
import { evaluatePod, morePermissive } from '../../src/validate/pod-security/evaluate.js';
import { codes, compileApp, find, objectsOf } from '../helpers/spec.js';
import { compliant, POD_CASES } from './pod-security-cases.js';

const controls = (spec: Record<string, any>, level: PodSecurityLevel, annotations: Record<string, string> = {}): string[] =>
  evaluatePod({ annotations, spec }, level)
    .map((v) => v.control)
    .sort();

describe('evaluatePod: the Pod Security Standards as admission checks them', () => {
  it.each(POD_CASES)('$name', (c) => {
    expect(controls(c.spec, 'restricted', c.annotations)).toEqual([...c.restricted].sort());
    expect(controls(c.spec, 'baseline', c.annotations)).toEqual([...c.baseline].sort());
    expect(controls(c.spec, 'privileged', c.annotations)).toEqual([]);
  });

  it('names the level that allows each violation: baseline for restricted-only controls, privileged for baseline ones', () => {
    const spec = compliant();
    spec.containers[0].securityContext = { runAsUser: 0, privileged: true, capabilities: { add: ['CHOWN', 'SYS_ADMIN'] } };
    const found = evaluatePod({ annotations: {}, spec }, 'restricted').map((v) => `${v.control}: ${v.what} -> ${v.allowedBy}`);
    expect(found).toEqual([
      'Privileged Containers: privileged: true -> privileged',
      'Capabilities: keeping the default capabilities (capabilities.drop without ALL) -> baseline',
      'Capabilities: capabilities.add: CHOWN -> baseline',
      'Capabilities: capabilities.add: SYS_ADMIN -> privileged',
      'Privilege Escalation: allowing privilege escalation (allowPrivilegeEscalation is not false) -> baseline',
      'Running as Non-root user: runAsUser: 0 -> baseline',
    ]);
  });

  it('orders levels: the more permissive of two', () => {
    expect(morePermissive('restricted', 'baseline')).toBe('baseline');
    expect(morePermissive('privileged', 'baseline')).toBe('privileged');
    expect(morePermissive('restricted', 'restricted')).toBe('restricted');
  });
});

const container = { name: 'helper', image: 'ghcr.io/acme/helper:1.0' };

describe('secure by default: every pod kubemin builds meets its level with no extra lines', () => {
  const types = [
    { type: 'webservice', ports: [{ port: 8080 }] },
    { type: 'worker' },
    { type: 'store', ports: [{ port: 6379 }], traits: { storage: [{ name: 'data', type: 'persistent', mountPath: '/data' }] } },
    { type: 'job' },
    { type: 'cronjob', schedule: '@daily' },
  ];
  for (const level of ['restricted', 'baseline', 'privileged'] as const) {
    it(`${level}: main, init and sidecar containers of every component type`, () => {
      const components = types.map((t, i) => ({
        name: `c${i}`,
        image: 'ghcr.io/acme/app:1.0',
        ...t,
        policies: { podSecurity: level },
        traits: { ...t.traits, init: [container], sidecar: [{ ...container, name: 'side' }] },
      }));
      const r = compileApp({ components });
      expect(r.diagnostics).toEqual([]);
      const pods = objectsOf(r).flatMap((o) => {
        const t = podTemplateOf(o as never);
        return t ? [t] : [];
      });
      expect(pods).toHaveLength(types.length);
      for (const p of pods) {
        expect(evaluatePod(p, 'restricted').length === 0).toBe(level === 'restricted');
        expect(evaluatePod(p, level)).toEqual([]);
        const all = [...((p.spec.initContainers as unknown[]) ?? []), ...(p.spec.containers as unknown[])] as Array<{
          securityContext: Record<string, unknown>;
        }>;
        expect(all.length).toBeGreaterThanOrEqual(2);
        for (const c of all) expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
        expect(p.spec.securityContext).toMatchObject({ seccompProfile: { type: 'RuntimeDefault' } });
      }
    });
  }

  it('restricted: runAsNonRoot and the seccomp profile on the pod, no privilege escalation and no capabilities on each container', () => {
    const r = compileApp({ components: [{ name: 'web', type: 'webservice', image: 'x', traits: { init: [container] } }] });
    const spec = find(r, 'Deployment').spec.template.spec;
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of [...spec.initContainers, ...spec.containers]) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    }
  });

  it('baseline and privileged keep the image user and the runtime capabilities; a privileged container may escalate', () => {
    const r = compileApp({
      policies: { podSecurity: 'privileged' },
      components: [
        { name: 'web', type: 'webservice', image: 'x', policies: { podSecurity: 'baseline' } },
        { name: 'agent', type: 'worker', image: 'x', traits: { securityContext: { privileged: true } } },
      ],
    });
    const web = find(r, 'Deployment', 'web').spec.template.spec;
    expect(web.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(web.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false });
    expect(find(r, 'Deployment', 'agent').spec.template.spec.containers[0].securityContext).toEqual({ privileged: true });
  });
});

describe('the securityContext trait', () => {
  it('sets the container fields over the defaults and fsGroup on the pod; init and sidecar containers have their own', () => {
    const r = compileApp({
      components: [
        {
          name: 'redis',
          type: 'store',
          image: 'redis:7.2',
          traits: {
            securityContext: { runAsUser: 999, runAsGroup: 999, fsGroup: 999, readOnlyRootFilesystem: true, capabilities: { add: ['NET_BIND_SERVICE'] } },
            init: [
              { ...container, traits: { securityContext: { runAsUser: 1000, seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/init.json' } } } },
            ],
          },
        },
      ],
    });
    const spec = find(r, 'StatefulSet').spec.template.spec;
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toEqual({
      runAsUser: 999,
      runAsGroup: 999,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
    });
    expect(spec.initContainers[0].securityContext).toEqual({
      runAsUser: 1000,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/init.json' },
    });
  });

  it('refuses fsGroup on an init container or sidecar, and contradictions the API server or kubelet would refuse', () => {
    expect(
      codes(
        compileApp({
          components: [{ name: 'w', type: 'worker', image: 'x', traits: { sidecar: [{ ...container, traits: { securityContext: { fsGroup: 1 } } }] } }],
        }),
      ),
    ).toEqual(['security-context-pod-field']);
    const conflicts = compileApp({
      policies: { podSecurity: 'privileged' },
      components: [
        {
          name: 'w',
          type: 'worker',
          image: 'x',
          traits: { securityContext: { privileged: true, allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 0 } },
        },
      ],
    });
    expect(conflicts.diagnostics.map((d) => `${d.code} ${d.pointer}`)).toEqual([
      'security-context-conflict /spec/components/0/traits/securityContext/allowPrivilegeEscalation',
      'security-context-conflict /spec/components/0/traits/securityContext/runAsUser',
    ]);
  });
});

describe('validate: violations at the spec field that caused them', () => {
  const at = (r: ReturnType<typeof compileApp>): string[] => r.diagnostics.map((d) => `${d.pointer}: ${d.message}`);

  it('runAsUser: 0 under restricted, at the field, naming the level, the rule and the fix', () => {
    const r = compileApp({ components: [{ name: 'web', type: 'webservice', image: 'x', traits: { securityContext: { runAsUser: 0 } } }] });
    expect(at(r)).toEqual([
      '/spec/components/0/traits/securityContext/runAsUser: container "web": runAsUser: 0 is not allowed under podSecurity restricted (rule "Running as Non-root user"; set podSecurity: baseline for this component to allow it)',
    ]);
    expect(r.diagnostics[0]!.hint).toMatch(/^remove runAsUser: 0/);
    const baseline = compileApp({
      components: [{ name: 'web', type: 'webservice', image: 'x', policies: { podSecurity: 'baseline' }, traits: { securityContext: { runAsUser: 0 } } }],
    });
    expect(baseline.diagnostics).toEqual([]);
  });

  it('a host path at its storage entry; an app-level level applies where the component sets none', () => {
    const storage = [{ name: 'logs', type: 'host-mounted', hostPath: '/var/log' }];
    const r = compileApp({
      policies: { allowHostPath: true, podSecurity: 'baseline' },
      components: [{ name: 'w', type: 'worker', image: 'x', traits: { storage } }],
    });
    expect(at(r)).toEqual([
      '/spec/components/0/traits/storage/0/type: the hostPath volume "logs" is not allowed under podSecurity baseline (rule "HostPath Volumes"; set podSecurity: privileged for this component to allow it)',
    ]);
  });

  it('a sidecar nested field at the sidecar; a probe host at the probe', () => {
    const r = compileApp({
      components: [
        {
          name: 'w',
          type: 'worker',
          image: 'x',
          ports: [{ port: 80 }],
          traits: {
            probes: [{ type: 'readiness', tcpSocket: { port: 80, host: 'example.com' } }],
            sidecar: [{ ...container, traits: { securityContext: { capabilities: { add: ['SYS_TIME'] } } } }],
          },
        },
      ],
    });
    expect(r.diagnostics.map((d) => d.pointer)).toEqual([
      '/spec/components/0/traits/probes/0/tcpSocket/host',
      '/spec/components/0/traits/sidecar/0/traits/securityContext/capabilities/add/0',
    ]);
  });
});

describe('pods kubemin did not build are checked too', () => {
  it('a raw DaemonSet of a k8s-objects component: at the field in the object as written', () => {
    const daemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: {
            hostNetwork: true,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{ name: 'agent', image: 'x', securityContext: { privileged: true, capabilities: { drop: ['ALL'] } } }],
          },
        },
      },
    };
    const r = compileApp({ components: [{ name: 'extras', type: 'k8s-objects', policies: { podSecurity: 'baseline' }, objects: [daemonSet] }] });
    const base = '/spec/components/0/objects/0/spec/template/spec';
    expect(r.diagnostics.map((d) => `${d.pointer}: ${d.message}`)).toEqual([
      `${base}/hostNetwork: the pod: hostNetwork: true is not allowed under podSecurity baseline (rule "Host Namespaces"; set podSecurity: privileged for this component to allow it)`,
      `${base}/containers/0/securityContext/privileged: container "agent": privileged: true is not allowed under podSecurity baseline (rule "Privileged Containers"; set podSecurity: privileged for this component to allow it)`,
    ]);
  });
});

describe('the Namespace enforces the most permissive level of the app', () => {
  const ns = (spec: Record<string, unknown>): Record<string, string> => find(compileApp({ createNamespace: true, ...spec }), 'Namespace').metadata.labels;

  it('restricted by default, pinned to the version kubemin checks', () => {
    expect(ns({ components: [{ name: 'web', type: 'webservice', image: 'x' }] })).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.36',
    });
  });

  it('the most permissive component that runs pods; a config component does not count', () => {
    const components = [
      { name: 'a', type: 'webservice', image: 'x' },
      { name: 'b', type: 'worker', image: 'x', policies: { podSecurity: 'baseline' } },
      { name: 'c', type: 'config', data: { K: 'v' }, policies: { podSecurity: 'privileged' } },
    ];
    expect(ns({ components })['pod-security.kubernetes.io/enforce']).toBe('baseline');
    // The app's own level counts through the components that use it; an app without pods keeps its own.
    expect(
      ns({ policies: { podSecurity: 'privileged' }, components: [{ name: 'a', type: 'webservice', image: 'x', policies: { podSecurity: 'restricted' } }] })[
        'pod-security.kubernetes.io/enforce'
      ],
    ).toBe('restricted');
    expect(
      ns({ policies: { podSecurity: 'baseline' }, components: [{ name: 'c', type: 'config', data: { K: 'v' } }] })['pod-security.kubernetes.io/enforce'],
    ).toBe('baseline');
  });
});
