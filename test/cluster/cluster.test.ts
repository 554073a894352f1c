import { describe, expect, it } from 'vitest';
import { testCluster } from './cluster.js';

// Smoke tests of the test cluster itself (README, "Test cluster"): the controllers, the scheduler
// and KWOK's fake nodes behave like a cluster. Waits are kubectl's own, bounded.

const IMAGE = 'registry.k8s.io/pause:3.10'; // never pulled: KWOK runs no containers
const WAIT = '--timeout=60s';

const cluster = testCluster();

const apply = (ns: string, yaml: string): Promise<string> => cluster.kubectl(['apply', '-n', ns, '-f', '-'], { input: yaml });

const gpuPod = (name: string, gpus: number): string => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers:
  - name: main
    image: ${IMAGE}
    resources:
      limits: {nvidia.com/gpu: "${gpus}"}
`;

describe('test cluster', { timeout: 120_000 }, () => {
  it('runs Kubernetes with three Ready KWOK nodes, one of them with 2 GPUs', async () => {
    const nodes = await cluster.kubectlJson<{ items: any[] }>(['get', 'nodes']);
    expect(nodes.items.map((n) => n.metadata.name).sort()).toEqual(['kwok-gpu-node-1', 'kwok-node-1', 'kwok-node-2']);
    for (const node of nodes.items) {
      expect(node.status.conditions.find((c: any) => c.type === 'Ready')?.status).toBe('True');
      expect(node.status.allocatable).toMatchObject({ cpu: '8', memory: '32Gi', pods: '110' });
    }
    expect(nodes.items.find((n) => n.metadata.name === 'kwok-gpu-node-1').status.allocatable['nvidia.com/gpu']).toBe('2');
    const version = await cluster.kubectlJson<{ serverVersion: { gitVersion: string } }>(['version']);
    expect(version.serverVersion.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
  });

  it('rolls out a Deployment of 2 replicas', async () => {
    const ns = await cluster.newNamespace('deploy');
    await apply(ns, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: ${IMAGE}, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
`);
    await cluster.kubectl(['rollout', 'status', '-n', ns, 'deployment/web', WAIT]);
    const deployment = await cluster.kubectlJson<any>(['get', '-n', ns, 'deployment/web']);
    expect(deployment.status.availableReplicas).toBe(2);
  });

  it('gives a StatefulSet its pods, in order', async () => {
    const ns = await cluster.newNamespace('sts');
    await apply(ns, `
apiVersion: v1
kind: Service
metadata: {name: db-headless}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 5432}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  serviceName: db-headless
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: ${IMAGE}}]
`);
    await cluster.kubectl(['rollout', 'status', '-n', ns, 'statefulset/db', WAIT]);
    const pods = await cluster.kubectlJson<{ items: any[] }>(['get', 'pods', '-n', ns, '-l', 'app=db']);
    expect(pods.items.map((p) => [p.metadata.name, p.status.phase]).sort()).toEqual([
      ['db-0', 'Running'],
      ['db-1', 'Running'],
    ]);
  });

  it('completes a Job', async () => {
    const ns = await cluster.newNamespace('job');
    await apply(ns, `
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: ${IMAGE}, command: [./migrate]}]
`);
    await cluster.kubectl(['wait', '-n', ns, '--for=condition=Complete', 'job/migrate', WAIT]);
    const job = await cluster.kubectlJson<any>(['get', '-n', ns, 'job/migrate']);
    expect(job.status.succeeded).toBe(1);
  });

  it('leaves a pod asking for 3 GPUs Pending: Unschedulable, Insufficient nvidia.com/gpu', async () => {
    const ns = await cluster.newNamespace('gpu3');
    await apply(ns, gpuPod('greedy', 3));
    await cluster.kubectl(['wait', '-n', ns, '--for=condition=PodScheduled=False', 'pod/greedy', WAIT]);
    const pod = await cluster.kubectlJson<any>(['get', '-n', ns, 'pod/greedy']);
    expect(pod.status.phase).toBe('Pending');
    const scheduled = pod.status.conditions.find((c: any) => c.type === 'PodScheduled');
    expect(scheduled).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(scheduled.message).toContain('Insufficient nvidia.com/gpu');
  });

  it('schedules a pod asking for 1 GPU onto the GPU node', async () => {
    const ns = await cluster.newNamespace('gpu1');
    await apply(ns, gpuPod('trainer', 1));
    await cluster.kubectl(['wait', '-n', ns, '--for=condition=Ready', 'pod/trainer', WAIT]);
    const pod = await cluster.kubectlJson<any>(['get', '-n', ns, 'pod/trainer']);
    expect(pod.spec.nodeName).toBe('kwok-gpu-node-1');
    expect(pod.status.phase).toBe('Running');
  });
});
