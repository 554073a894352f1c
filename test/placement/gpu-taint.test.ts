import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AppApplyResult } from '../../src/apply/types.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { testCluster } from '../cluster/cluster.js';
import { startPrivateCluster } from '../cluster/private-cluster.js';
import { cli, tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';

/**
 * GPU nodes are tainted on managed clusters: a GPU job runs there because kubemin adds the
 * toleration, and a pod without GPUs never lands there. This test has a cluster of its own
 * (scripts/test-cluster.sh with its own state directory), whose GPU node it taints: the suite's
 * shared cluster has the same three nodes, and its other tests count on its GPU node taking any
 * pod (and on there being three nodes, which rules out adding a tainted one there).
 */

const run = promisify(execFile);
const GPU_NODE = 'kwok-gpu-node-1';

interface Pod {
  metadata: { name: string; labels: Record<string, string> };
  spec: { nodeName?: string; tolerations?: Array<Record<string, unknown>> };
  status: { phase: string };
}

function app(name: string, components: Array<Record<string, unknown>>, policies: Record<string, unknown> = {}): string {
  return emitYaml({
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: name },
    spec: { createNamespace: true, policies, components },
  } as never);
}

describe('a tainted GPU node', { timeout: 240_000 }, () => {
  it('runs a GPU job (tolerated by default) and no pod without GPUs; without the toleration, or pinned to the node, pods stay Pending', async () => {
    expect(testCluster().kubeconfig).toBeTruthy(); // fails the test, with the reason, when the test cluster cannot run at all
    const cluster = await startPrivateCluster(REPO, join(tempDir('kubemin-gpu-taint-'), 'cluster'));
    onTestFinished(() => cluster.down());
    const kubeconfig = cluster.kubeconfig;
    const kubectl = async (...args: string[]): Promise<string> => (await run('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args])).stdout;
    await kubectl('taint', 'node', GPU_NODE, 'nvidia.com/gpu=present:NoSchedule');
    await untilSchedulerSeesTaint(kubectl);

    const dir = tempDir();
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const apply = async (spec: string, timeout = '2m'): Promise<AppApplyResult> => {
      writeFileSync(join(dir, 'kubemin.yaml'), spec);
      const r = await cli(['apply', dir, '--kubeconfig', kubeconfig, '-o', 'json', '--poll-interval', '200ms', '--timeout', timeout]);
      if (!r.stdout.trim()) throw new Error(`kubemin apply printed no result (exit ${r.code}): ${r.stderr}`);
      return (JSON.parse(r.stdout) as { apps: AppApplyResult[] }).apps[0]!;
    };
    const pods = async (ns: string): Promise<Pod[]> => (JSON.parse(await kubectl('get', 'pods', '-n', ns, '-o', 'json')) as { items: Pod[] }).items;

    // A pod without GPUs pinned to the GPU node (placement.nodeSelector) is refused by the taint.
    const pinned = await apply(
      app('gpu-pinned', [
        { name: 'web', type: 'worker', image: 'ghcr.io/acme/web:1.0', traits: { placement: { nodeSelector: { 'kubernetes.io/hostname': GPU_NODE } } } },
      ]),
    );
    expect(pinned.outcome, JSON.stringify(pinned.phases)).toBe('failed');
    expect(pinned.phases.flatMap((p) => p.reasons).join('\n')).toMatch(
      /0\/3 nodes are available: 1 node\(s\) had untolerated taint\(s\), 2 node\(s\) didn't match Pod's node affinity\/selector/,
    );
    expect((await pods('gpu-pinned')).map((p) => [p.spec.nodeName, p.status.phase])).toEqual([[undefined, 'Pending']]);

    // The same job with policies.gpuToleration: false never runs: apply says why, at once.
    const off = await apply(
      app('gpu-off', [{ name: 'train', type: 'job', image: 'ghcr.io/acme/train:1.0', traits: { resources: { gpu: 1 } } }], { gpuToleration: false }),
    );
    expect(off.outcome, JSON.stringify(off.phases)).toBe('failed');
    // The GPU node has the taint, the others no GPU.
    expect(off.phases.flatMap((p) => p.reasons).join('\n')).toMatch(
      /0\/3 nodes are available: 1 node\(s\) had untolerated taint\(s\), 2 Insufficient nvidia\.com\/gpu/,
    );

    // A GPU job and six pods without GPUs. The job can only go to the GPU node (the only one with
    // GPUs), and does because it tolerates the taint; the others spread over the two other nodes.
    const ok = await apply(
      app('gpu-ok', [
        { name: 'train', type: 'job', image: 'ghcr.io/acme/train:1.0', traits: { resources: { gpu: 1 } } },
        { name: 'web', type: 'worker', image: 'ghcr.io/acme/web:1.0', replicas: 6 },
      ]),
    );
    expect(ok.outcome, JSON.stringify(ok.phases)).toBe('applied');
    const placed = await pods('gpu-ok');
    const train = placed.filter((p) => p.metadata.labels['app.kubernetes.io/name'] === 'train');
    expect(
      train.map((p) => [p.spec.nodeName, p.status.phase]),
      JSON.stringify(ok.phases),
    ).toEqual([[GPU_NODE, 'Succeeded']]);
    expect(train[0]!.spec.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
    const web = placed.filter((p) => p.metadata.labels['app.kubernetes.io/name'] === 'web');
    expect(web).toHaveLength(6);
    // Spread over three untainted nodes, some would be on the GPU node (the scheduler balances them).
    expect(web.map((p) => p.spec.nodeName).filter((n) => n === undefined || n === GPU_NODE)).toEqual([]);
  });
});

/**
 * The scheduler sees a new taint when its informer does, a moment after the API server: a probe
 * pod pinned to the node, without the toleration, shows when (Unschedulable). Placed anyway, it is
 * deleted and tried again.
 */
async function untilSchedulerSeesTaint(kubectl: (...args: string[]) => Promise<string>): Promise<void> {
  const overrides = JSON.stringify({ spec: { nodeSelector: { 'kubernetes.io/hostname': GPU_NODE } } });
  await kubectl('wait', '--for=create', '-n', 'default', 'serviceaccount/default', '--timeout=60s'); // pods are refused before it exists
  for (let attempt = 0; attempt < 10; attempt++) {
    await kubectl('run', 'taint-probe', '-n', 'default', '--image=probe', '--restart=Never', `--overrides=${overrides}`);
    for (let i = 0; i < 100; i++) {
      const state = await kubectl(
        'get',
        'pod',
        'taint-probe',
        '-n',
        'default',
        '-o',
        'jsonpath={.spec.nodeName}/{.status.conditions[?(@.type=="PodScheduled")].reason}',
      );
      if (state === '/Unschedulable') {
        await kubectl('delete', 'pod', 'taint-probe', '-n', 'default', '--wait=true');
        return;
      }
      if (!state.startsWith('/')) break; // placed before the scheduler saw the taint
      await new Promise((r) => setTimeout(r, 100));
    }
    await kubectl('delete', 'pod', 'taint-probe', '-n', 'default', '--wait=true', '--grace-period=0', '--force');
  }
  throw new Error(`the scheduler never refused a pod without the toleration on ${GPU_NODE}`);
}
