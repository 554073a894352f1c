import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatApplyText } from '../../src/apply/format-text.js';
import { planFromDiff } from '../../src/apply/plan-from-diff.js';
import { fitGpus, gpuDemand, podGpus } from '../../src/apply/preflight/gpu.js';
import { appliedByKubemin, pruneOrder } from '../../src/apply/prune.js';
import type { AppApplyResult, PhaseResult } from '../../src/apply/types.js';
import { readBundleDir } from '../../src/files/bundle-dir/read-bundle-dir.js';
import { applyProgress } from '../../src/cli/apply-progress.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { loadAndCompile } from '../../src/operations/load-and-compile.js';
import { cli, tempDir } from '../helpers/cli.js';
import { codes, compileApp } from '../helpers/spec.js';

const gpuJob = (gpu: number, job: Record<string, unknown> = {}) => ({
  name: 'train',
  type: 'job',
  image: 'ghcr.io/acme/train:1',
  job,
  traits: { resources: { cpu: '1', memory: '1Gi', gpu } },
});

describe('GPU preflight', () => {
  it('counts a pod as its containers and native sidecars together, or its largest init container', () => {
    const c = (gpu: number, restartPolicy?: string) => ({
      name: `c${gpu}`,
      resources: { limits: { 'nvidia.com/gpu': String(gpu) } },
      ...(restartPolicy ? { restartPolicy } : {}),
    });
    expect(podGpus({ containers: [c(1), c(2)] })).toBe(3);
    expect(podGpus({ containers: [c(1)], initContainers: [c(4)] })).toBe(4);
    expect(podGpus({ containers: [c(1)], initContainers: [c(1, 'Always'), c(2)] })).toBe(2);
    expect(podGpus({ containers: [{ name: 'x' }] })).toBe(0);
  });

  it('finds what workloads ask for: replicas or parallelism pods of their per-pod GPUs', () => {
    const { apps } = compileApp({
      components: [gpuJob(2, { parallelism: 3, completions: 2 }), { name: 'web', type: 'webservice', image: 'w:1', replicas: 2, ports: [{ port: 80 }] }],
    });
    const objects = apps[0]!.phases.flatMap((p) => p.objects);
    expect(gpuDemand(objects)).toEqual([{ object: expect.stringMatching(/^Job ns\/train-/), component: 'train', pods: 2, perPod: 2 }]);
  });

  it('places the largest pods first, each on one node, and says what is needed and available', () => {
    const demand = [{ object: 'Job ns/train', component: 'train', pods: 2, perPod: 2 }];
    const fits = fitGpus(demand, [
      { name: 'a', allocatable: 2, used: 0 },
      { name: 'b', allocatable: 4, used: 2 },
    ]);
    expect(fits).toMatchObject({ fits: true, needed: 4, free: 4, allocatable: 6 });
    // 4 free in total, but not 4 on one node.
    const refused = fitGpus(
      [{ object: 'Job ns/big', component: 'big', pods: 1, perPod: 4 }],
      [
        { name: 'a', allocatable: 2, used: 0 },
        { name: 'b', allocatable: 2, used: 0 },
      ],
    );
    expect(refused.fits).toBe(false);
    expect(refused.message).toBe(
      'needs 4 nvidia.com/gpu (Job ns/big: 1 pod × 4), but the nodes have 4 free of 4 allocatable (at most 2 free on one node, a): the pods cannot all be scheduled',
    );
    expect(fitGpus(demand, []).message).toBe(
      'needs 4 nvidia.com/gpu (Job ns/train: 2 pods × 2), but the nodes have 0 free of 0 allocatable: the pods cannot all be scheduled',
    );
  });
});

describe('gpu-preflight step type', () => {
  it('plans a phase without objects that carries the components it checks', () => {
    const { apps, diagnostics } = compileApp({
      components: [gpuJob(1)],
      workflow: {
        steps: [
          { name: 'gpus', type: 'gpu-preflight', for: ['train'] },
          { name: 'run', components: ['train'] },
        ],
      },
    });
    expect(diagnostics).toEqual([]);
    expect(apps[0]!.phases.map((p) => [p.name, p.stepType, p.objects.length, p.params ?? null])).toEqual([
      ['gpus', 'gpu-preflight', 0, { for: ['train'] }],
      ['run', 'deploy', 1, null],
    ]);
  });

  it('refuses a component it does not know, with a did-you-mean', () => {
    const r = compileApp({
      components: [gpuJob(1)],
      workflow: {
        steps: [
          { name: 'gpus', type: 'gpu-preflight', for: ['traim'] },
          { name: 'run', components: ['train'] },
        ],
      },
    });
    expect(codes(r)).toEqual(['unknown-component']);
    expect(r.diagnostics[0]).toMatchObject({
      message: 'there is no component "traim" in this application',
      hint: 'did you mean "train"?',
      pointer: '/spec/workflow/steps/0/for/0',
    });
  });
});

describe('pruning', () => {
  it('goes later phases first, and in reverse kind order within a phase', () => {
    const e = (kind: string, name: string, phase: number) => ({ apiVersion: 'v1', kind, name, namespace: 'ns', phase });
    const sorted = [e('ConfigMap', 'a', 1), e('Deployment', 'web', 2), e('Service', 'web', 2), e('Namespace', 'ns', 1), e('Job', 'm', 3)].sort(pruneOrder);
    expect(sorted.map((x) => `${x.phase}:${x.kind}`)).toEqual(['3:Job', '2:Deployment', '2:Service', '1:ConfigMap', '1:Namespace']);
  });

  it('knows what kubemin applied by its field manager', () => {
    const o = (managers: Array<{ manager: string; operation: string }>) =>
      ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', managedFields: managers } }) as unknown as K8sObject;
    expect(appliedByKubemin(o([{ manager: 'kubemin', operation: 'Apply' }]))).toBe(true);
    expect(
      appliedByKubemin(
        o([
          { manager: 'kubectl-client-side-apply', operation: 'Update' },
          { manager: 'kubemin', operation: 'Update' },
        ]),
      ),
    ).toBe(false);
  });
});

describe('results as text', () => {
  const phase = (over: Partial<PhaseResult>): PhaseResult => ({
    index: 1,
    name: 'app',
    stepType: 'deploy',
    outcome: 'ready',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.500Z',
    durationMs: 1500,
    attempts: 1,
    objects: [],
    reasons: [],
    ...over,
  });
  const obj = (action: 'created' | 'unchanged') => ({
    ref: { apiVersion: 'v1', kind: 'Service', namespace: 'ns', name: 'web' },
    component: 'web',
    source: 'kubemin.yaml:9',
    action,
    state: 'ready' as const,
    message: 'exists',
  });

  it('one line per phase, reasons under a failed one, skipped phases, then the outcome', () => {
    const result: AppApplyResult = {
      app: 'shop',
      namespace: 'ns',
      outcome: 'failed',
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:03.000Z',
      durationMs: 3000,
      phases: [
        phase({ index: 1, name: 'config', objects: [obj('created'), obj('unchanged')] }),
        phase({
          index: 2,
          name: 'migrate',
          outcome: 'failed',
          attempts: 2,
          objects: [obj('created')],
          reasons: ['Job ns/m (kubemin.yaml:12, component m): BackoffLimitExceeded: Job has reached the specified backoff limit'],
        }),
        phase({ index: 3, name: 'app', outcome: 'skipped', startedAt: null, finishedAt: null, durationMs: 0, attempts: 0 }),
      ],
      pruned: [],
      failure: { phase: '02-migrate', message: 'x' },
      warnings: ['the inventory ConfigMap ns/kubemin-inventory-shop could not be written: Forbidden'],
    };
    expect(formatApplyText([result])).toBe(
      [
        'shop: applying 3 phases to namespace ns',
        '  01-config   ready           1.5s  2 objects (1 created, 1 unchanged)',
        '  02-migrate  failed          1.5s  1 object (1 created), 2 attempts',
        '      Job ns/m (kubemin.yaml:12, component m): BackoffLimitExceeded: Job has reached the specified backoff limit',
        '  03-app      skipped      ',
        '  warning: the inventory ConfigMap ns/kubemin-inventory-shop could not be written: Forbidden',
        'shop: failed at 02-migrate after 3.0s',
        '',
      ].join('\n'),
    );
  });
});

describe('apply --dry-run as a plan', () => {
  it('tells each phase what the diff found, and a refused object fails its phase', () => {
    const { apps } = compileApp({
      components: [
        { name: 'settings', type: 'config', data: { A: 'b' } },
        { name: 'web', type: 'worker', image: 'w:1' },
      ],
      workflow: {
        steps: [
          { name: 'one', components: ['settings'] },
          { name: 'two', components: ['web'] },
        ],
      },
    });
    const app = apps[0]!;
    const ref = (kind: string, name: string, apiVersion = 'v1') => ({ apiVersion, kind, namespace: 'ns', name });
    const plan = planFromDiff(
      app,
      {
        app: 'app',
        namespace: 'ns',
        objects: [
          { action: 'update', ref: ref('ConfigMap', 'settings'), component: 'settings', source: 'kubemin.yaml:6', phase: '01-one', diff: '', note: null },
          { action: 'delete', ref: ref('ConfigMap', 'old'), component: null, source: null, phase: null, diff: '', note: null },
        ],
        problems: [
          { ref: ref('Deployment', 'web', 'apps/v1'), component: 'web', source: 'kubemin.yaml:7', reason: 'Invalid', message: 'spec.replicas: Invalid value' },
        ],
      },
      { prune: true },
    );
    expect(plan.phases.map((p) => [p.name, p.outcome, p.objects.map((o) => o.action)])).toEqual([
      ['one', 'planned', ['configured']],
      ['two', 'failed', ['failed']],
    ]);
    expect(plan.phases[1]!.reasons).toEqual(['Deployment ns/web (kubemin.yaml:7, component web): Invalid: spec.replicas: Invalid value']);
    expect(plan.pruned).toEqual([{ ref: ref('ConfigMap', 'old'), action: 'deleted', reason: 'would be deleted' }]);
    expect(plan.outcome).toBe('failed');
  });
});

describe('reading a rendered bundle back', () => {
  it('gives the same phases and objects as compiling the specs', async () => {
    const out = join(tempDir(), 'rendered');
    expect((await cli(['render', 'examples', '--out', out])).code).toBe(0);
    const fromDir = await readBundleDir(out);
    const direct = (await loadAndCompile({ paths: ['examples'] })).apps;
    expect(fromDir.map((a) => a.name)).toEqual(direct.map((a) => a.name));
    for (const [i, app] of fromDir.entries()) {
      const want = direct[i]!;
      expect(app.namespace).toBe(want.namespace);
      expect(app.phases.map((p) => [p.index, p.name, p.stepType, p.mode, p.timeout, p.retries, p.components])).toEqual(
        want.phases.map((p) => [p.index, p.name, p.stepType, p.mode, p.timeout, p.retries, p.components]),
      );
      expect(app.phases.flatMap((p) => p.objects.map((o) => [o.object, o.component, `${o.source.file}:${o.source.line}`]))).toEqual(
        want.phases.flatMap((p) => p.objects.map((o) => [o.object, o.component, `${o.source.file}:${o.source.line}`])),
      );
    }
  });
});

describe('progress on a terminal and elsewhere', () => {
  const run = (interactive: boolean): string => {
    let out = '';
    const progress = applyProgress({ stdout: (s) => void (out += s), stderr: () => undefined, color: false, interactive });
    progress.onEvent({ type: 'app-start', app: 'shop', namespace: 'ns', phases: ['01-app'] });
    progress.onEvent({ type: 'phase-start', app: 'shop', phase: 'app', index: 1, objects: 2, attempt: 1 });
    progress.onEvent({ type: 'phase-progress', app: 'shop', phase: 'app', ready: 1, total: 2, waitingFor: 'Deployment web: 0 of 2 replicas available' });
    const result: PhaseResult = {
      index: 1,
      name: 'app',
      stepType: 'deploy',
      outcome: 'ready',
      startedAt: null,
      finishedAt: null,
      durationMs: 2000,
      attempts: 1,
      objects: [],
      reasons: [],
    };
    progress.onEvent({ type: 'phase-end', app: 'shop', result });
    progress.stop();
    return out;
  };

  it('redraws a spinner line with what the phase waits for on a terminal', () => {
    const out = run(true);
    expect(out).toContain('\r\x1b[K  ⠋ 01-app  1/2 ready, waiting for Deployment web: 0 of 2 replicas available');
    expect(out.endsWith('\r\x1b[K  01-app  ready           2.0s  no objects\n')).toBe(true);
  });

  it('writes whole lines only elsewhere', () => {
    expect(run(false)).toBe('shop: applying 1 phase to namespace ns\n  01-app  ready           2.0s  no objects\n');
  });
});
