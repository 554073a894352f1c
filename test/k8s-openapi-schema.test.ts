import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaProblems } from '../src/k8s/openapi/check-schema.js';
import { k8sSchema } from '../src/k8s/openapi/schema-data.js';
import type { K8sObject } from '../src/k8s/types.js';
import { readServedSchema, schemaModule } from '../scripts/write-k8s-openapi.js';
import { testCluster } from './cluster/cluster.js';
import { REPO } from './helpers/tree.js';

/**
 * The schema kubemin checks objects against at compile time (src/k8s/openapi/) is the one the real
 * kube-apiserver serves, and what it refuses, server-side apply refuses too.
 */
const cluster = testCluster();

const deployment = (spec: Record<string, unknown>): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'schema-check' },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } }, ...spec },
});

describe('the Kubernetes schema of the object checks', () => {
  it("is what the test cluster's API server serves (regenerate with scripts/write-k8s-openapi.ts)", () => {
    const served = readServedSchema(cluster.kubeconfig);
    // The kinds first (a readable difference), then every definition.
    expect(Object.keys(k8sSchema().kinds)).toEqual(Object.keys(served.kinds));
    expect(Object.keys(k8sSchema().definitions)).toEqual(Object.keys(served.definitions));
    const committed = readFileSync(join(REPO, 'src/k8s/openapi/schema-data.ts'), 'utf8');
    expect(committed === schemaModule(served), 'src/k8s/openapi/schema-data.ts differs from what the API server serves').toBe(true);
  });

  it('what it refuses, server-side apply refuses (dry-run); what it accepts, the API server accepts', { timeout: 60_000 }, async () => {
    const ns = await cluster.newNamespace('schema');
    const refused: Array<[K8sObject, RegExp]> = [
      [deployment({ replicas: 'two' }), /spec\.replicas/],
      [deployment({ templat: {} }), /templat/],
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'schema-check' }, data: { a: 1 } } as K8sObject, /data\.a/],
      [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'schema-check' }, spec: { ports: [{ port: 80, targetPort: true }] } } as K8sObject, /targetPort/],
    ];
    for (const [o, field] of refused) {
      expect(
        schemaProblems(o)
          .map((p) => p.message)
          .join('\n'),
        JSON.stringify(o),
      ).toMatch(field);
      const object = { ...o, metadata: { ...o.metadata, namespace: ns } };
      await expect(
        cluster.kubectl(['apply', '--server-side', '--dry-run=server', '--validate=false', '--field-manager=kubemin', '-f', '-'], {
          input: JSON.stringify(object),
        }),
      ).rejects.toThrow(/field not declared in schema|expected (numeric|string|map)|cannot unmarshal/);
    }
    const accepted: K8sObject[] = [
      deployment({ replicas: 2, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } }),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'schema-check' }, spec: { ports: [{ port: 80, targetPort: 'http' }] } } as K8sObject,
    ];
    for (const o of accepted) {
      expect(schemaProblems(o)).toEqual([]);
      const object = { ...o, metadata: { ...o.metadata, namespace: ns } };
      await cluster.kubectl(['apply', '--server-side', '--dry-run=server', '--validate=false', '--field-manager=kubemin', '-f', '-'], {
        input: JSON.stringify(object),
      });
    }
  });
});
