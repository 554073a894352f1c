/**
 * The other direction, for each check added for issue 11: the objects that kubemin refuses to
 * render (fixtures/invalid/83-* and later) are refused by the real API server too. Each row is
 * the object kubemin would have rendered before the check, sent as a server-side apply dry-run
 * (or, where a dry-run cannot tell, as what the API server really does), with the fixture whose
 * spec it stands for. Together with api-parity.test.ts: kubemin refuses what the server refuses,
 * and accepts only what it accepts.
 */
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/cluster/http-client.js';
import type { ClusterClient } from '../../src/cluster/types.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { OBJECT_MAX_BYTES, storedSize } from '../../src/validate/object-rules/object-size.js';
import { testCluster } from '../cluster/cluster.js';

const cluster = testCluster();

type Container = Record<string, unknown>;

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function deployment(ns: string, container: Container = {}, pod: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): K8sObject {
  const labels = { app: 'w' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'w', namespace: ns },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'w', image: 'ghcr.io/acme/app:1.0', ...container }], ...pod } },
      ...spec,
    },
  };
}

function ingress(ns: string, spec: Record<string, unknown>): K8sObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: ns }, spec };
}

const path = (p: Record<string, unknown> = {}): Record<string, unknown> => ({
  path: '/',
  pathType: 'Prefix',
  backend: { service: { name: 'web', port: { number: 80 } } },
  ...p,
});

interface Row {
  readonly fixture: string;
  readonly what: string;
  readonly object: (ns: string) => K8sObject;
  readonly refused: RegExp;
}

const ROWS: readonly Row[] = [
  {
    fixture: '83-config-keys-invalid',
    what: 'ConfigMap keys with a space, a slash, a ".." prefix, or empty',
    object: (ns) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: ns }, data: { 'bad key!': '1', '../x': '2', '': '3' } }),
    refused: /a valid config key must consist of alphanumeric characters[\s\S]*must not start with '\.\.'/,
  },
  {
    fixture: '83-config-keys-invalid',
    what: 'a Secret key with a space',
    object: (ns) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: ns }, data: { 'api token': b64('x') } }),
    refused: /data\[api token\]: Invalid value/,
  },
  {
    fixture: '84-negative-quantities',
    what: 'negative cpu and memory',
    object: (ns) => deployment(ns, { resources: { requests: { cpu: '-500m', memory: '-1Gi' }, limits: { cpu: '-500m', memory: '-1Gi' } } }),
    refused: /limits\[cpu\]: Invalid value: "-500m": must be greater than or equal to 0/,
  },
  {
    fixture: '84-negative-quantities',
    what: 'a claim of size 0',
    object: (ns) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'w-data', namespace: ns },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '0' } } },
    }),
    refused: /spec.resources\[storage\]: Invalid value: "0": must be greater than zero/,
  },
  {
    fixture: '84-negative-quantities',
    what: 'a negative scratch volume size',
    object: (ns) =>
      deployment(ns, { volumeMounts: [{ name: 'scratch', mountPath: '/mnt/scratch' }] }, { volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '-1Gi' } }] }),
    refused: /SizeLimit field must be a valid resource quantity/,
  },
  {
    fixture: '85-replicas-int32',
    what: '1e12 replicas (wrapped to a negative int32)',
    object: (ns) => deployment(ns, {}, {}, { replicas: 1e12 }),
    refused: /spec.replicas: Invalid value: -727379968/,
  },
  {
    fixture: '87-ingress-host-ip',
    what: 'an IP address as an Ingress host',
    object: (ns) => ingress(ns, { rules: [{ host: '10.0.0.1', http: { paths: [path()] } }] }),
    refused: /must be a DNS name, not an IP address/,
  },
  {
    fixture: '87-ingress-host-ip',
    what: 'a wildcard that is not the whole first label',
    object: (ns) => ingress(ns, { rules: [{ host: '*.*.example.com', http: { paths: [path()] } }] }),
    refused: /a wildcard DNS-1123 subdomain must start with '\*\.'/,
  },
  {
    fixture: '88-blank-image',
    what: 'an image with trailing whitespace in a pod (a Deployment is accepted, its pods never are)',
    object: (ns) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: ns }, spec: { containers: [{ name: 'w', image: 'nginx ' }] } }),
    refused: /must not have leading or trailing whitespace/,
  },
  {
    fixture: '89-annotations-too-large',
    what: '270 KB of annotations',
    object: (ns) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: ns, annotations: { 'note-0': 'x'.repeat(270_000) } } }),
    refused: /metadata.annotations: Too long: may not be more than 262144 bytes/,
  },
  {
    fixture: '91-env-references-invalid',
    what: 'a secretKeyRef key with a space',
    object: (ns) => deployment(ns, { env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'db', key: 'db password' } } }] }),
    refused: /secretKeyRef.key: Invalid value: "db password"/,
  },
  {
    fixture: '91-env-references-invalid',
    what: 'a label key with a space in a fieldRef',
    object: (ns) => deployment(ns, { env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: "metadata.labels['team name']" } } }] }),
    refused: /fieldRef: Invalid value: "team name"/,
  },
  {
    fixture: '91-env-references-invalid',
    what: "an envFrom prefix with '='",
    object: (ns) => deployment(ns, { envFrom: [{ prefix: 'APP=', configMapRef: { name: 'settings' } }] }),
    refused: /envFrom\[0\].prefix: Invalid value: "APP="/,
  },
  {
    fixture: '92-probe-header-name',
    what: 'an HTTP header name with a space',
    object: (ns) => deployment(ns, { readinessProbe: { httpGet: { path: '/', port: 8080, httpHeaders: [{ name: 'X Probe:', value: '1' }] } } }),
    refused: /a valid HTTP header must consist of alphanumeric characters or '-'/,
  },
  {
    fixture: '93-storage-paths-and-class',
    what: 'an absolute subPath',
    object: (ns) => deployment(ns, { volumeMounts: [{ name: 'd', mountPath: '/d', subPath: '/data' }] }, { volumes: [{ name: 'd', emptyDir: {} }] }),
    refused: /subPath: Invalid value: "\/data": must be a relative path/,
  },
  {
    fixture: '93-storage-paths-and-class',
    what: "a subPath with '..'",
    object: (ns) => deployment(ns, { volumeMounts: [{ name: 'd', mountPath: '/d', subPath: 'logs/../../etc' }] }, { volumes: [{ name: 'd', emptyDir: {} }] }),
    refused: /must not contain '\.\.'/,
  },
  {
    fixture: '93-storage-paths-and-class',
    what: 'a storage class name with uppercase letters',
    object: (ns) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'w-data', namespace: ns },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'Fast_SSD', resources: { requests: { storage: '1Gi' } } },
    }),
    refused: /spec.storageClassName: Invalid value: "Fast_SSD"/,
  },
  {
    fixture: '94-ingress-class-path-backend',
    what: 'an ingress class name with a space',
    object: (ns) => ingress(ns, { ingressClassName: 'Nginx Public', rules: [{ http: { paths: [path()] } }] }),
    refused: /spec.ingressClassName: Invalid value: "Nginx Public"/,
  },
  {
    fixture: '94-ingress-class-path-backend',
    what: "a Prefix path with '//'",
    object: (ns) => ingress(ns, { rules: [{ http: { paths: [path({ path: '/api//v1' })] } }] }),
    refused: /must not contain '\/\/'/,
  },
  {
    fixture: '94-ingress-class-path-backend',
    what: "an Exact path ending in '/.'",
    object: (ns) => ingress(ns, { rules: [{ http: { paths: [path({ path: '/static/.', pathType: 'Exact' })] } }] }),
    refused: /cannot end with '\/\.'/,
  },
  {
    fixture: '94-ingress-class-path-backend',
    what: 'a backend port name that is not a port name',
    object: (ns) => ingress(ns, { rules: [{ http: { paths: [path({ backend: { service: { name: 'other', port: { name: 'a--b' } } } })] } }] }),
    refused: /port.name: Invalid value: "a--b": must not contain consecutive hyphens/,
  },
  {
    fixture: '95-rbac-rule-shape',
    what: 'a rule without resources',
    object: (ns) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'r', namespace: ns },
      rules: [{ apiGroups: [''], verbs: ['get'] }],
    }),
    refused: /resource rules must supply at least one resource/,
  },
  {
    fixture: '95-rbac-rule-shape',
    what: 'a rule with resources and nonResourceURLs',
    object: () => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'kubemin-parity-test-role' },
      rules: [{ apiGroups: [''], resources: ['nodes'], nonResourceURLs: ['/metrics'], verbs: ['get'] }],
    }),
    refused: /rules cannot apply to both regular resources and non-resource URLs/,
  },
  {
    fixture: '95-rbac-rule-shape',
    what: 'a rule with an empty apiGroups',
    object: (ns) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'r', namespace: ns },
      rules: [{ apiGroups: [], resources: ['pods'], verbs: ['list'] }],
    }),
    refused: /resource rules must supply at least one api group/,
  },
  {
    fixture: '96-service-port-default-name',
    what: 'a port named p8080 beside an unnamed port 8080 (named p8080 by kubemin)',
    object: (ns) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: ns },
      spec: {
        selector: { app: 'web' },
        ports: [
          { name: 'p8080', port: 80, targetPort: 80 },
          { name: 'p8080', port: 8080, targetPort: 8080 },
        ],
      },
    }),
    refused: /Duplicate value: "p8080"/,
  },
  {
    fixture: '97-secret-type-keys',
    what: 'a TLS Secret without tls.key',
    object: (ns) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'web-tls', namespace: ns },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': b64('x') },
    }),
    refused: /data\[tls.key\]: Required value/,
  },
  {
    fixture: '97-secret-type-keys',
    what: 'a docker config Secret that is not JSON',
    object: (ns) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'registry', namespace: ns },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': b64('{"auths": {') },
    }),
    refused: /data\[\.dockerconfigjson\]: Invalid value: "<secret contents redacted>"/,
  },
  {
    fixture: '97-secret-type-keys',
    what: 'a service account token Secret without its annotation',
    object: (ns) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'token', namespace: ns },
      type: 'kubernetes.io/service-account-token',
      data: { token: b64('abc') },
    }),
    refused: /kubernetes.io\/service-account.name\]: Required value/,
  },
  {
    fixture: '98-resource-names-and-amounts',
    what: 'a request above its limit',
    object: (ns) => deployment(ns, { resources: { requests: { cpu: '4' }, limits: { cpu: '2' } } }),
    refused: /must be less than or equal to cpu limit of 2/,
  },
  {
    fixture: '98-resource-names-and-amounts',
    what: 'half a GPU',
    object: (ns) => deployment(ns, { resources: { requests: { 'nvidia.com/gpu': '0.5' }, limits: { 'nvidia.com/gpu': '0.5' } } }),
    refused: /limits\[nvidia.com\/gpu\]: Invalid value: "500m": must be an integer/,
  },
  {
    fixture: '98-resource-names-and-amounts',
    what: 'an extended resource requested without a limit',
    object: (ns) => deployment(ns, { resources: { requests: { 'example.com/fpga': '1' } } }),
    refused: /Limit must be set for non overcommitable resources/,
  },
  {
    fixture: '98-resource-names-and-amounts',
    what: 'huge pages that are not whole pages, without cpu or memory',
    object: (ns) => deployment(ns, { resources: { limits: { 'hugepages-2Mi': '3Mi' } } }),
    refused: /3Mi is not positive integer multiple of hugepages-2Mi[\s\S]*HugePages require cpu or memory/,
  },
  {
    fixture: '99-int32-fields',
    what: 'an initialDelaySeconds beyond int32 (wrapped to a negative number)',
    object: (ns) => deployment(ns, { livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 3_000_000_000 } }),
    refused: /initialDelaySeconds: Invalid value: -1294967296/,
  },
  {
    fixture: '99-int32-fields',
    what: 'a backoffLimit beyond int32',
    object: (ns) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: ns },
      spec: { backoffLimit: 2_147_483_648, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'ghcr.io/acme/app:1.0' }] } } },
    }),
    refused: /spec.backoffLimit: Invalid value: -2147483648/,
  },
  {
    fixture: '101-duplicate-mount-path',
    what: 'two volumes mounted at one path',
    object: (ns) =>
      deployment(
        ns,
        {
          volumeMounts: [
            { name: 'tmp', mountPath: '/tmp' },
            { name: 'spool', mountPath: '/tmp' },
          ],
        },
        {
          volumes: [
            { name: 'tmp', emptyDir: {} },
            { name: 'spool', emptyDir: {} },
          ],
        },
      ),
    refused: /duplicate entries for key \[mountPath="\/tmp"\]/,
  },
  {
    fixture: '102-resource-name-unknown',
    what: 'a resource name without a domain',
    object: (ns) => deployment(ns, { resources: { limits: { gpu: '1' } } }),
    refused: /limits\[gpu\]: Invalid value: "gpu": must be a standard resource for containers/,
  },
  {
    fixture: '103-job-controller-labels',
    what: 'a Job whose pod template has the job-name label',
    object: (ns) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: ns },
      spec: {
        template: {
          metadata: { labels: { 'job-name': 'nightly' } },
          spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'ghcr.io/acme/app:1.0' }] },
        },
      },
    }),
    refused: /spec.template.metadata.labels\[job-name\]: Invalid value/,
  },
  {
    fixture: '104-time-zone-dropped',
    what: 'a time zone Node.js still resolves and the tz database has dropped',
    object: (ns) => ({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: ns },
      spec: {
        schedule: '0 3 * * *',
        timeZone: 'US/Pacific-New',
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'n', image: 'ghcr.io/acme/app:1.0' }] } } } },
      },
    }),
    refused: /spec.timeZone: Invalid value: "US\/Pacific-New": unknown time zone/,
  },
  {
    fixture: '140-placement-affinity-values',
    what: 'node affinity In without values, Exists with values',
    object: (ns) =>
      deployment(
        ns,
        {},
        {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In' }] }],
              },
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 10, preference: { matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'Exists', values: ['m5.large'] }] } },
              ],
            },
          },
        },
      ),
    refused:
      /values: Required value: must be specified when `operator` is 'In' or 'NotIn'[\s\S]*values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'/,
  },
  {
    fixture: '141-placement-toleration-invalid',
    what: 'tolerations: Exists with a value, Equal without a key, tolerationSeconds with NoSchedule',
    object: (ns) =>
      deployment(
        ns,
        {},
        {
          tolerations: [
            { key: 'dedicated', operator: 'Exists', value: 'web' },
            { value: 'web', effect: 'NoSchedule' },
            { key: 'spot', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 300 },
          ],
        },
      ),
    refused:
      /tolerations\[0\]\.operator: Invalid value: "web": value must be empty when `operator` is 'Exists'[\s\S]*tolerations\[1\]\.operator: Invalid value: "": operator must be Exists when `key` is empty[\s\S]*tolerations\[2\]\.effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when `tolerationSeconds` is set/,
  },
  {
    fixture: '144-disruption-budget-both-fields',
    what: 'a PodDisruptionBudget with minAvailable and maxUnavailable',
    object: (ns) => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: ns },
      spec: { minAvailable: 2, maxUnavailable: 1, selector: { matchLabels: { app: 'w' } } },
    }),
    refused: /minAvailable and maxUnavailable cannot be both set/,
  },
];

async function refusal(client: ClusterClient, object: K8sObject, dryRun = true): Promise<string> {
  try {
    await client.apply(object, { fieldManager: 'kubemin-parity', force: true, dryRun });
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
}

describe('the API server refuses what kubemin refuses', { timeout: 120_000 }, () => {
  it.each(ROWS.map((r) => [`${r.fixture}: ${r.what}`, r] as const))('%s', async (_name, row) => {
    const namespace = await cluster.newNamespace('refusals');
    const client = await connect({ kubeconfig: cluster.kubeconfig });
    try {
      expect(await refusal(client, row.object(namespace))).toMatch(row.refused);
    } finally {
      client.close();
    }
  });

  it('88-blank-image: a Deployment with a blank image is accepted, but its pods never are (so kubemin refuses it)', async () => {
    const namespace = await cluster.newNamespace('refusals');
    const client = await connect({ kubeconfig: cluster.kubeconfig });
    try {
      expect(await refusal(client, deployment(namespace, { image: '   ' }))).toBe('accepted');
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace }, spec: { containers: [{ name: 'w', image: '   ' }] } };
      expect(await refusal(client, pod)).toMatch(/must not have leading or trailing whitespace/);
    } finally {
      client.close();
    }
  });

  it('object-too-large: a dry-run accepts a ConfigMap too large for etcd, a real apply does not (so kubemin refuses it)', async () => {
    const namespace = await cluster.newNamespace('refusals');
    const client = await connect({ kubeconfig: cluster.kubeconfig });
    try {
      const data: Record<string, string> = { big: 'v'.repeat(1024 * 1024 - 16) };
      for (let i = 0; i < 12_000; i++) data[`k${String(i).padStart(6, '0')}${'x'.repeat(40)}`] = '';
      const huge: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge', namespace }, data };
      expect(storedSize(huge)).toBeGreaterThan(OBJECT_MAX_BYTES);
      expect(await refusal(client, huge)).toBe('accepted');
      expect(await refusal(client, huge, false)).toMatch(/larger than max|too large/);
      // Just under kubemin's limit: a ConfigMap of 1 MiB in one key is stored.
      const big: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace }, data: { big: 'v'.repeat(1024 * 1024 - 16) } };
      expect(storedSize(big)).toBeLessThanOrEqual(OBJECT_MAX_BYTES);
      expect(await refusal(client, big, false)).toBe('accepted');
    } finally {
      client.close();
    }
  });

  it('86-service-name-digit: Kubernetes 1.36 accepts a Service named "1web" (RelaxedServiceNameValidation, beta); kubemin refuses it, as every earlier version does', async () => {
    const namespace = await cluster.newNamespace('refusals');
    const client = await connect({ kubeconfig: cluster.kubeconfig });
    try {
      const service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: '1web', namespace },
        spec: { selector: { app: 'web' }, ports: [{ name: 'p80', port: 80 }] },
      };
      expect(await refusal(client, service)).toBe('accepted');
    } finally {
      client.close();
    }
  });
});
