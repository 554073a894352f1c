import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { KubectlError, testCluster } from '../cluster/cluster.js';

/**
 * deploy/prometheus-rules.yaml on the test cluster: `kubectl apply --dry-run=server` (strict field
 * validation) accepts it as a monitoring.coreos.com/v1 PrometheusRule.
 *
 * The Prometheus Operator is not installed on the test cluster: the CRD below is a MINIMAL STAND-IN
 * for the operator's, written here from its documented fields (groups[].name, interval, rules[]
 * of alert or record, expr, for, keep_firing_for, labels, annotations, with its duration pattern),
 * not the operator's CRD itself. When the cluster has a PrometheusRule CRD already (the real one),
 * that one is used.
 */

const cluster = testCluster();
const CRD = 'prometheusrules.monitoring.coreos.com';
const DURATION = { type: 'string', pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$' };
const STRINGS = { type: 'object', additionalProperties: { type: 'string' } };

const standIn = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: CRD, annotations: { 'kubemin.dev/test-stand-in': 'minimal PrometheusRule CRD of test/deploy/prometheus-rules-cluster.test.ts' } },
  spec: {
    group: 'monitoring.coreos.com',
    names: { kind: 'PrometheusRule', listKind: 'PrometheusRuleList', plural: 'prometheusrules', singular: 'prometheusrule' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            required: ['spec'],
            properties: {
              spec: {
                type: 'object',
                properties: {
                  groups: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['name'],
                      properties: {
                        name: { type: 'string', minLength: 1 },
                        interval: DURATION,
                        labels: STRINGS,
                        rules: {
                          type: 'array',
                          items: {
                            type: 'object',
                            required: ['expr'],
                            properties: {
                              alert: { type: 'string' },
                              record: { type: 'string' },
                              expr: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
                              for: DURATION,
                              keep_firing_for: DURATION,
                              labels: STRINGS,
                              annotations: STRINGS,
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

async function ensureCrd(): Promise<void> {
  try {
    await cluster.kubectl(['get', 'crd', CRD]);
  } catch (err) {
    if (!(err instanceof KubectlError) || !/NotFound|not found/.test(err.message)) throw err;
    // Left installed: other runs of this test (CI beside a developer's) may use it at the same time.
    await cluster.kubectl(['apply', '-f', '-'], { input: JSON.stringify(standIn) });
  }
  await cluster.kubectl(['wait', '--for=condition=Established', `crd/${CRD}`, '--timeout=60s']);
}

const rules = yaml.load(readFileSync(fileURLToPath(new URL('../../deploy/prometheus-rules.yaml', import.meta.url)), 'utf8')) as {
  metadata: { namespace?: string };
  spec: { groups: Array<{ rules: Array<Record<string, unknown>> }> };
};

describe('deploy/prometheus-rules.yaml on the test cluster', { timeout: 120_000 }, () => {
  it('is accepted by the API server as a PrometheusRule (dry run, strict field validation); a misspelt field or a bad duration is not', async () => {
    await ensureCrd();
    const ns = await cluster.newNamespace('promrule');
    const inNs = (doc: unknown): string => JSON.stringify({ ...(doc as object), metadata: { ...rules.metadata, namespace: ns } });
    const applied = await cluster.kubectl(['apply', '--dry-run=server', '--validate=strict', '-f', '-'], { input: inNs(rules) });
    expect(applied).toMatch(/prometheusrule\.monitoring\.coreos\.com\/kubemin created \(server dry run\)/);

    const typo = structuredClone(rules);
    typo.spec.groups[0]!.rules[0]!.annotation = { summary: 'x' };
    await expect(cluster.kubectl(['apply', '--dry-run=server', '--validate=strict', '-f', '-'], { input: inNs(typo) })).rejects.toThrow(/unknown field.*annotation/);
    const badFor = structuredClone(rules);
    badFor.spec.groups[0]!.rules[0]!.for = '15 minutes';
    await expect(cluster.kubectl(['apply', '--dry-run=server', '--validate=strict', '-f', '-'], { input: inNs(badFor) })).rejects.toThrow(/spec\.groups\[0\]\.rules\[0\]\.for/);
  });
});
