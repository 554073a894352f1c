import { describe, expect, it } from 'vitest';
import { testCluster } from './cluster.js';

// Smoke tests of the test cluster itself (README, "Test cluster"): the controllers, the scheduler
// and KWOK's fake nodes behave like a cluster, failures chosen by image included (registry.invalid/,
// :crashloop, :fail: scripts/test-cluster/kwok.yaml). Waits are kubectl's own, bounded.

const IMAGE = 'registry.k8s.io/pause:3.10'; // never pulled: KWOK runs no containers
const WAIT = '--timeout=60s';

const cluster = testCluster();

/** A pod's conditions, type -> status. */
const conditions = (pod: any): Record<string, string> => Object.fromEntries(pod.status.conditions.map((c: any) => [c.type, c.status]));

const apply = (ns: string, yaml: string): Promise<string> => cluster.kubectl(['apply', '-n', ns, '-f', '-'], { input: yaml });

/** Deployment `web` (pods labelled app=web) with these containers, as a YAML flow sequence. */
const deploymentYaml = (replicas: number, containers: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: ${containers}
`;

/** Job `migrate` with these containers, restartPolicy Never. */
const jobYaml = (backoffLimit: number, containers: string): string => `
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  backoffLimit: ${backoffLimit}
  template:
    spec:
      restartPolicy: Never
      containers: ${containers}
`;

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
    await apply(ns, deploymentYaml(2, `[{name: web, image: ${IMAGE}, resources: {requests: {cpu: 100m, memory: 64Mi}}}]`));
    await cluster.kubectl(['rollout', 'status', '-n', ns, 'deployment/web', WAIT]);
    const deployment = await cluster.kubectlJson<any>(['get', '-n', ns, 'deployment/web']);
    expect(deployment.status.availableReplicas).toBe(2);
  });

  it('gives a StatefulSet its pods, in order', async () => {
    const ns = await cluster.newNamespace('sts');
    await apply(
      ns,
      `
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
`,
    );
    await cluster.kubectl(['rollout', 'status', '-n', ns, 'statefulset/db', WAIT]);
    const pods = await cluster.kubectlJson<{ items: any[] }>(['get', 'pods', '-n', ns, '-l', 'app=db']);
    expect(pods.items.map((p) => [p.metadata.name, p.status.phase]).sort()).toEqual([
      ['db-0', 'Running'],
      ['db-1', 'Running'],
    ]);
  });

  it('completes a Job', async () => {
    const ns = await cluster.newNamespace('job');
    await apply(ns, jobYaml(0, `[{name: migrate, image: ${IMAGE}, command: [./migrate]}]`));
    await cluster.kubectl(['wait', '-n', ns, '--for=condition=Complete', 'job/migrate', WAIT]);
    const job = await cluster.kubectlJson<any>(['get', '-n', ns, 'job/migrate']);
    expect(job.status.succeeded).toBe(1);
  });

  it('never pulls an image under registry.invalid/: ErrImagePull, then ImagePullBackOff, the pod Pending', async () => {
    const ns = await cluster.newNamespace('pull');
    await apply(
      ns,
      `${deploymentYaml(1, `[{name: web, image: registry.invalid/acme/web:1.0}, {name: proxy, image: ${IMAGE}}]`)}---
apiVersion: v1
kind: Pod
metadata: {name: init}
spec:
  initContainers: [{name: fetch, image: registry.invalid/acme/fetch}]
  containers: [{name: main, image: ${IMAGE}}]
`,
    );
    await cluster.kubectl(['wait', '-n', ns, '--for=jsonpath={.status.replicas}=1', 'deployment/web', WAIT]);
    await cluster.kubectl([
      'wait',
      '-n',
      ns,
      '--for=jsonpath={.status.containerStatuses[?(@.name=="web")].state.waiting.reason}=ImagePullBackOff',
      'pod',
      '-l',
      'app=web',
      WAIT,
    ]);
    const pod = (await cluster.kubectlJson<{ items: any[] }>(['get', 'pods', '-n', ns, '-l', 'app=web'])).items[0];
    expect(pod.status.phase).toBe('Pending');
    expect(conditions(pod)).toMatchObject({ Ready: 'False', ContainersReady: 'False', Initialized: 'True' });
    const web = pod.status.containerStatuses.find((c: any) => c.name === 'web');
    // The kubelet retries the pull (ErrImagePull) now and then; the back-off keeps the pull's error.
    expect(web).toMatchObject({ ready: false, restartCount: 0, state: { waiting: { reason: expect.stringMatching(/^(ErrImagePull|ImagePullBackOff)$/) } } });
    expect(web.state.waiting.message).toMatch(
      /^(Back-off pulling image "registry\.invalid\/acme\/web:1\.0": ErrImagePull: )?rpc error: .*failed to pull and unpack image "registry\.invalid\/acme\/web:1\.0": .*no such host$/,
    );
    expect(pod.status.containerStatuses.find((c: any) => c.name === 'proxy')).toMatchObject({ ready: true, state: { running: {} } });
    const deployment = await cluster.kubectlJson<any>(['get', '-n', ns, 'deployment/web']);
    expect(deployment.status.unavailableReplicas).toBe(1);

    // In an init container: the pod is not Initialized, its containers wait.
    await cluster.kubectl(['wait', '-n', ns, '--for=condition=Initialized=False', 'pod/init', WAIT]);
    const init = await cluster.kubectlJson<any>(['get', '-n', ns, 'pod/init']);
    expect(init.status.phase).toBe('Pending');
    expect(init.status.initContainerStatuses[0].state.waiting.reason).toMatch(/^(ErrImagePull|ImagePullBackOff)$/);
    expect(init.status.initContainerStatuses[0].state.waiting.message).toContain('"registry.invalid/acme/fetch:latest"');
    expect(init.status.containerStatuses[0].state.waiting.reason).toBe('PodInitializing');
  });

  it('crash-loops an image tagged :crashloop: Running, not Ready, CrashLoopBackOff after an exit 1', async () => {
    const ns = await cluster.newNamespace('crash');
    await apply(ns, deploymentYaml(1, '[{name: web, image: ghcr.io/acme/web:crashloop}]'));
    await cluster.kubectl(['wait', '-n', ns, '--for=jsonpath={.status.replicas}=1', 'deployment/web', WAIT]);
    await cluster.kubectl([
      'wait',
      '-n',
      ns,
      '--for=jsonpath={.status.containerStatuses[0].state.waiting.reason}=CrashLoopBackOff',
      'pod',
      '-l',
      'app=web',
      WAIT,
    ]);
    const pod = (await cluster.kubectlJson<{ items: any[] }>(['get', 'pods', '-n', ns, '-l', 'app=web'])).items[0];
    expect(pod.status.phase).toBe('Running');
    expect(conditions(pod)).toMatchObject({ Ready: 'False', ContainersReady: 'False' });
    const [web] = pod.status.containerStatuses;
    expect(web.ready).toBe(false);
    expect(web.restartCount).toBeGreaterThanOrEqual(1);
    expect(web.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const { name, namespace, uid } = pod.metadata;
    expect(web.state.waiting.message).toMatch(new RegExp(`^back-off \\w+ restarting failed container=web pod=${name}_${namespace}\\(${uid}\\)$`));
    const deployment = await cluster.kubectlJson<any>(['get', '-n', ns, 'deployment/web']);
    expect(deployment.status.unavailableReplicas).toBe(1);
  });

  it('fails a Job whose image is tagged :fail: each pod exits 1, then BackoffLimitExceeded', async () => {
    const ns = await cluster.newNamespace('jobfail');
    await apply(ns, jobYaml(1, '[{name: migrate, image: ghcr.io/acme/migrate:fail}]'));
    // The Job controller waits 10 s (its back-off) before the second pod.
    await cluster.kubectl(['wait', '-n', ns, '--for=condition=Failed', 'job/migrate', WAIT]);
    const job = await cluster.kubectlJson<any>(['get', '-n', ns, 'job/migrate']);
    expect(job.status.conditions.find((c: any) => c.type === 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
    expect(job.status.failed).toBe(2);
    const pods = await cluster.kubectlJson<{ items: any[] }>(['get', 'pods', '-n', ns, '-l', 'batch.kubernetes.io/job-name=migrate']);
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items) {
      expect(pod.status.phase).toBe('Failed');
      expect(pod.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    }
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
