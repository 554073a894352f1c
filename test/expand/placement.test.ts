import { describe, expect, it } from 'vitest';
import { codes, compileApp, find, objectsOf } from '../helpers/spec.js';

const podSpec = (r: ReturnType<typeof compileApp>, kind = 'Deployment') => find(r, kind).spec.template.spec;
const selector = { 'app.kubernetes.io/instance': 'app', 'app.kubernetes.io/name': 'web' };
const GPU_TOLERATION = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

describe('placement', () => {
  it('sets nodeSelector, tolerations, node affinity and priorityClassName on the pod', () => {
    const placement = {
      nodeSelector: { disktype: 'ssd' },
      tolerations: [
        { key: 'dedicated', value: 'web', effect: 'NoSchedule' },
        { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
      ],
      nodeAffinity: {
        required: [
          { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
          { key: 'spot', operator: 'DoesNotExist' },
        ],
        preferred: [
          { weight: 80, key: 'node.kubernetes.io/instance-type', operator: 'NotIn', values: ['t3.small'] },
          { key: 'ssd', operator: 'Exists' },
        ],
      },
      priorityClassName: 'business-critical',
    };
    const r = compileApp({ components: [{ name: 'web', type: 'webservice', image: 'x', traits: { placement } }] });
    const spec = podSpec(r);
    expect(spec.nodeSelector).toEqual({ disktype: 'ssd' });
    expect(spec.priorityClassName).toBe('business-critical');
    expect(spec.tolerations).toEqual([
      { key: 'dedicated', value: 'web', effect: 'NoSchedule' },
      { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
    ]);
    expect(spec.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
                { key: 'spot', operator: 'DoesNotExist' },
              ],
            },
          ],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 80, preference: { matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'NotIn', values: ['t3.small'] }] } },
          { weight: 1, preference: { matchExpressions: [{ key: 'ssd', operator: 'Exists' }] } },
        ],
      },
    });
  });

  it('spread presets become topologySpreadConstraints on the selector labels: soft, maxSkew 1, unless given', () => {
    const spread = (s: unknown) =>
      podSpec(compileApp({ components: [{ name: 'web', type: 'webservice', image: 'x', traits: { placement: { spread: s } } }] })).topologySpreadConstraints;
    const soft = (topologyKey: string) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } });
    expect(spread('zone')).toEqual([soft('topology.kubernetes.io/zone')]);
    expect(spread('host')).toEqual([soft('kubernetes.io/hostname')]);
    expect(spread('zone-and-host')).toEqual([soft('topology.kubernetes.io/zone'), soft('kubernetes.io/hostname')]);
    expect(spread({ across: 'host', maxSkew: 2, whenUnsatisfiable: 'DoNotSchedule' })).toEqual([
      { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: selector } },
    ]);
  });

  it('applies to every kind of pod: a store, a job, a cronjob', () => {
    const placement = { nodeSelector: { pool: 'batch' } };
    for (const [type, kind, extra] of [
      ['store', 'StatefulSet', {}],
      ['job', 'Job', {}],
      ['cronjob', 'CronJob', { schedule: '@daily' }],
    ] as const) {
      const r = compileApp({ components: [{ name: 'c', type, image: 'x', ...extra, traits: { placement } }] });
      const o = find(r, kind);
      const spec = kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
      expect(spec.nodeSelector, kind).toEqual({ pool: 'batch' });
    }
  });

  it('refuses affinity values that do not fit the operator, and tolerations the API server refuses, at their place', () => {
    const r = compileApp({
      components: [
        {
          name: 'web',
          type: 'webservice',
          image: 'x',
          traits: {
            placement: {
              nodeAffinity: { required: [{ key: 'a', operator: 'In' }], preferred: [{ key: 'b', operator: 'Exists', values: ['x'] }] },
              tolerations: [{ value: 'x' }, { key: 'k', operator: 'Exists', value: 'v' }, { key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 }],
            },
          },
        },
      ],
    });
    expect(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`)).toEqual([
      expect.stringMatching(/affinity-values operator In needs values$/),
      expect.stringMatching(/affinity-values operator Exists takes no values$/),
      expect.stringMatching(/toleration a toleration without a key must have operator Exists/),
      expect.stringMatching(/toleration a toleration with operator Exists takes no value$/),
      expect.stringMatching(/toleration tolerationSeconds needs effect NoExecute, not NoSchedule$/),
    ]);
    expect(r.apps).toEqual([]);
  });

  it('refuses a misspelled preset with a suggestion', () => {
    const r = compileApp({ components: [{ name: 'web', type: 'webservice', image: 'x', traits: { placement: { spread: 'hosts' } } }] });
    expect(r.diagnostics.map((d) => [d.code, d.hint])).toEqual([['invalid-value', 'did you mean "host"?']]);
  });
});

describe('GPU toleration', () => {
  it('a pod that asks for nvidia.com/gpu tolerates the nvidia.com/gpu:NoSchedule taint, after the tolerations written', () => {
    const r = compileApp({
      components: [
        { name: 'train', type: 'job', image: 'x', traits: { resources: { gpu: 1 }, placement: { tolerations: [{ key: 'spot', operator: 'Exists' }] } } },
      ],
    });
    expect(podSpec(r, 'Job').tolerations).toEqual([{ key: 'spot', operator: 'Exists' }, GPU_TOLERATION]);
  });

  it('also through requests and limits, an init container or a sidecar; not for a pod without GPUs or with 0', () => {
    const tolerationsOf = (traits: Record<string, unknown>) =>
      podSpec(compileApp({ components: [{ name: 'w', type: 'worker', image: 'x', traits }] })).tolerations;
    expect(tolerationsOf({ resources: { requests: { 'nvidia.com/gpu': '2' }, limits: { 'nvidia.com/gpu': '2' } } })).toEqual([GPU_TOLERATION]);
    expect(tolerationsOf({ init: [{ name: 'warm', image: 'y', traits: { resources: { gpu: 1 } } }] })).toEqual([GPU_TOLERATION]);
    expect(tolerationsOf({ sidecar: [{ name: 'infer', image: 'y', traits: { resources: { gpu: 1 } } }] })).toEqual([GPU_TOLERATION]);
    expect(tolerationsOf({ resources: { cpu: '1' } })).toBeUndefined();
    expect(tolerationsOf({ resources: { gpu: 0, cpu: '1' } })).toBeUndefined();
  });

  it('is not added twice when a written toleration already covers the taint', () => {
    const written = (t: Record<string, unknown>) =>
      podSpec(compileApp({ components: [{ name: 'w', type: 'worker', image: 'x', traits: { resources: { gpu: 1 }, placement: { tolerations: [t] } } }] }))
        .tolerations;
    expect(written({ key: 'nvidia.com/gpu', operator: 'Exists' })).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists' }]);
    expect(written({ operator: 'Exists' })).toEqual([{ operator: 'Exists' }]);
    // Equal tolerates one value only: the taint's value is the cluster's (GKE's is "present"), so ours is added.
    expect(written({ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' })).toEqual([
      { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' },
      GPU_TOLERATION,
    ]);
  });

  it('policies.gpuToleration: false turns it off, for the app or one component', () => {
    const gpu = (name: string, policies?: Record<string, unknown>) => ({
      name,
      type: 'job',
      image: 'x',
      ...(policies ? { policies } : {}),
      traits: { resources: { gpu: 1 } },
    });
    const off = compileApp({ policies: { gpuToleration: false }, components: [gpu('a'), gpu('b', { gpuToleration: true })] });
    const jobs = objectsOf(off).filter((o) => o.kind === 'Job');
    expect(jobs.map((j) => [j.metadata.labels['app.kubernetes.io/name'], j.spec.template.spec.tolerations])).toEqual([
      ['a', undefined],
      ['b', [GPU_TOLERATION]],
    ]);
  });

  it("a job's name hashes the toleration: switching it changes the name (the template is immutable)", () => {
    const name = (policies: Record<string, unknown>) =>
      find(compileApp({ policies, components: [{ name: 'train', type: 'job', image: 'x', traits: { resources: { gpu: 1 } } }] }), 'Job').metadata.name;
    expect(name({ gpuToleration: true })).not.toBe(name({ gpuToleration: false }));
  });

  it('no GPU, no toleration, and no change to existing bundles', () => {
    expect(codes(compileApp({ components: [{ name: 'w', type: 'worker', image: 'x' }] }))).toEqual([]);
    expect(podSpec(compileApp({ components: [{ name: 'w', type: 'worker', image: 'x' }] })).tolerations).toBeUndefined();
  });
});
