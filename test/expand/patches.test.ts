import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import { formatText } from '../../src/diagnostics/format-text.js';
import { codes, compileApp, find, objectsOf } from '../helpers/spec.js';

/** The `patches` trait: RFC 7386 / RFC 6902 patches on a component's finished objects. */
const web = (patches: unknown[], extra: Record<string, unknown> = {}) => ({
  name: 'web',
  type: 'webservice',
  image: 'ghcr.io/acme/web:1.0',
  ports: [{ port: 8080 }],
  ...extra,
  traits: { ...(extra.traits as object), patches },
});

describe('patches', () => {
  it('merge and JSON patches apply to the objects of the kind (and name), after every other trait', () => {
    const r = compileApp({
      components: [
        web(
          [
            {
              target: { kind: 'Deployment' },
              merge: { spec: { minReadySeconds: 10, template: { spec: { hostAliases: [{ ip: '10.0.0.1', hostnames: ['db.local'] }] } } } },
            },
            { target: { kind: 'Service', name: 'web' }, json: [{ op: 'add', path: '/spec/sessionAffinity', value: 'ClientIP' }] },
            // The autoscaler is a trait's object: patched too.
            { target: { kind: 'HorizontalPodAutoscaler' }, json: [{ op: 'replace', path: '/spec/maxReplicas', value: 7 }] },
          ],
          { traits: { autoscale: { maxReplicas: 3 } } },
        ),
      ],
    });
    expect(codes(r)).toEqual([]);
    const d = find(r, 'Deployment', 'web');
    expect(d.spec.minReadySeconds).toBe(10);
    expect(d.spec.template.spec.hostAliases).toEqual([{ ip: '10.0.0.1', hostnames: ['db.local'] }]);
    expect(d.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/web:1.0'); // merged, not replaced
    expect(find(r, 'Service', 'web').spec.sessionAffinity).toBe('ClientIP');
    expect(find(r, 'HorizontalPodAutoscaler').spec.maxReplicas).toBe(7);
  });

  it('null removes a field (RFC 7386); a list is replaced whole', () => {
    const r = compileApp({
      components: [web([{ target: { kind: 'Service' }, merge: { spec: { type: null, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } } }])],
    });
    const svc = find(r, 'Service');
    expect(svc.spec.type).toBeUndefined();
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080 }]);
  });

  it("a patch of a Job's template gives the Job the name of its new template (a changed job runs anew)", () => {
    const job = (patches?: unknown[]) =>
      compileApp({ components: [{ name: 'migrate', type: 'job', image: 'x:1', ...(patches ? { traits: { patches } } : {}) }] });
    const plain = find(job(), 'Job').metadata.name;
    const patched = find(job([{ target: { kind: 'Job' }, merge: { spec: { template: { spec: { hostname: 'm' } } } } }]), 'Job');
    expect(patched.spec.template.spec.hostname).toBe('m');
    expect(patched.metadata.name).toMatch(/^migrate-[0-9a-f]{8}$/);
    expect(patched.metadata.name).not.toBe(plain);
    // A patch outside the template (a label) keeps the name.
    expect(find(job([{ target: { kind: 'Job' }, merge: { metadata: { labels: { tier: 'batch' } } } }]), 'Job').metadata.name).toBe(plain);
  });

  it('a patch that matches nothing is an error at its target, naming what the component renders', () => {
    const r = compileApp({
      components: [
        web([
          { target: { kind: 'Deployment', name: 'api' }, merge: { spec: { paused: true } } },
          { target: { kind: 'Ingress' }, merge: { spec: {} } },
        ]),
      ],
    });
    expect(r.apps).toEqual([]);
    const text = formatText(r.diagnostics, r.sources, { color: false });
    expect(r.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['patch-no-match', '/spec/components/0/traits/patches/0/target'],
      ['patch-no-match', '/spec/components/0/traits/patches/1/target'],
    ]);
    expect(text).toContain('renders no Deployment named "api"');
    expect(text).toContain('its Deployment objects are named "web"');
    expect(text).toContain('it renders Deployment "web", Service "web"; patch one of those by kind (and name)');
  });

  it('a JSON patch operation that fails is an error at the operation', () => {
    const r = compileApp({
      components: [
        web([
          {
            target: { kind: 'Deployment' },
            json: [
              { op: 'test', path: '/spec/replicas', value: 1 },
              { op: 'remove', path: '/spec/paused' },
            ],
          },
        ]),
      ],
    });
    expect(r.diagnostics.map((d) => [d.code, d.pointer])).toEqual([['patch-failed', '/spec/components/0/traits/patches/0/json/1']]);
    expect(r.diagnostics[0]!.message).toBe('this operation cannot be applied to Deployment "web": /spec/paused does not exist');
  });

  it("refuses to change apiVersion, kind, name, namespace, kubemin's labels or a selector, at the patch's key", () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{ target: { kind: 'Deployment' }, merge: { metadata: { name: 'other' } } }, '/merge/metadata/name', /changes metadata.name of Deployment "web"/],
      [{ target: { kind: 'Deployment' }, merge: { metadata: { namespace: 'x' } } }, '/merge/metadata/namespace', /metadata.namespace/],
      [{ target: { kind: 'Deployment' }, json: [{ op: 'replace', path: '/kind', value: 'StatefulSet' }] }, '/json/0', /changes kind/],
      [{ target: { kind: 'Service' }, merge: { apiVersion: 'v2' } }, '/merge/apiVersion', /apiVersion/],
      [
        { target: { kind: 'Deployment' }, merge: { spec: { template: { metadata: { labels: { 'app.kubernetes.io/name': 'x' } } } } } },
        '/merge/spec/template/metadata/labels/app.kubernetes.io~1name',
        /the label app.kubernetes.io\/name at \/spec\/template\/metadata\/labels/,
      ],
      [
        { target: { kind: 'Service' }, json: [{ op: 'remove', path: '/spec/selector' }] },
        '/json/0',
        /the label app.kubernetes.io\/instance at \/spec\/selector/,
      ],
      [{ target: { kind: 'Deployment' }, merge: { spec: { selector: { matchLabels: { tier: 'web' } } } } }, '/merge/spec/selector', /changes spec.selector/],
      [
        { target: { kind: 'Deployment' }, merge: { metadata: { labels: { 'app.kubernetes.io/managed-by': 'helm' } } } },
        '/merge/metadata/labels/app.kubernetes.io~1managed-by',
        /managed-by/,
      ],
    ];
    for (const [patch, at, message] of cases) {
      const r = compileApp({ components: [web([patch])] });
      expect(
        r.diagnostics.map((d) => d.code),
        JSON.stringify(patch),
      ).toEqual(['patch-forbidden']);
      expect(r.diagnostics[0]!.pointer).toBe(`/spec/components/0/traits/patches/0${at}`);
      expect(r.diagnostics[0]!.message).toMatch(message);
    }
    // A label of one's own is fine.
    expect(codes(compileApp({ components: [web([{ target: { kind: 'Deployment' }, merge: { metadata: { labels: { tier: 'web' } } } }])] }))).toEqual([]);
  });

  it('patched objects are still checked as the API server would', () => {
    const badLabel = compileApp({ components: [web([{ target: { kind: 'Service' }, merge: { metadata: { labels: { tier: 'no spaces allowed' } } } }])] });
    expect(codes(badLabel)).toEqual(['invalid-label']);
  });

  it('patched objects are still checked for podSecurity', () => {
    const privileged = compileApp({
      components: [
        web([{ target: { kind: 'Deployment' }, json: [{ op: 'add', path: '/spec/template/spec/containers/0/securityContext/privileged', value: true }] }]),
      ],
    });
    expect(privileged.apps).toEqual([]);
    expect(privileged.diagnostics.map((d) => d.message).join('\n')).toMatch(/privileged/);
    expect(privileged.diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });

  it('the schema: one of merge or json, a target with a kind, operations with what they need', () => {
    const r = compileApp({
      components: [
        web([
          { target: { kind: 'Deployment' } },
          { target: { name: 'web' }, merge: {} },
          { target: { kind: 'Deployment' }, merge: {}, json: [{ op: 'remove', path: '/x' }] },
          {
            target: { kind: 'Deployment' },
            json: [
              { op: 'add', path: '/spec/x' },
              { op: 'move', path: '/a' },
              { op: 'frobnicate', path: '/a' },
              { op: 'add', path: 'spec', value: 1 },
            ],
          },
        ]),
      ],
    });
    expect(r.diagnostics.map((d) => `${d.code} ${(d.pointer ?? '').replace('/spec/components/0/traits/patches/', '')}`)).toEqual([
      'invalid-value 0',
      'missing-field 1/target',
      'invalid-value 2',
      'missing-field 3/json/0',
      'missing-field 3/json/1',
      'invalid-value 3/json/2/op',
      'invalid-value 3/json/3/path',
    ]);
    expect(r.diagnostics[0]!.message).toContain('give exactly one of `merge`');
  });

  it('on a config component too, and a patch of a Secret is a secret: masked in code frames, kept as a secret value', () => {
    const text = `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: app, namespace: ns}
spec:
  components:
    - name: creds
      type: secret
      stringData: {user: admin}
      traits:
        patches:
          - target: {kind: Secret}
            merge: {data: {token: c3VwZXJzZWNyZXR0b2tlbg==}, metadata: {name: renamed}}
`;
    const r = compile([{ path: 'kubemin.yaml', text }]);
    const errors = (x: typeof r) => x.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
    expect(errors(r)).toEqual(['patch-forbidden']);
    const frame = formatText(r.diagnostics, r.sources, { color: false });
    expect(frame).not.toContain('c3VwZXJzZWNyZXR0b2tlbg==');
    expect(frame).toContain('merge: {data: {token: ************************}');
    expect(r.secrets).toContain('c3VwZXJzZWNyZXR0b2tlbg==');
    const ok = compile([{ path: 'kubemin.yaml', text: text.replace(', metadata: {name: renamed}', '') }]);
    expect(errors(ok)).toEqual([]);
    expect(objectsOf(ok)[0]!.data).toEqual({ user: 'YWRtaW4=', token: 'c3VwZXJzZWNyZXR0b2tlbg==' });
  });
});
