/**
 * The differential test of issue 11: random applications (bench/parity/spec-arbitrary.ts) are
 * compiled by kubemin, and every object of every one it accepts is sent to the real API server
 * of the test cluster as a server-side apply dry-run. A refusal means kubemin accepted a spec
 * that cannot be deployed: a bug, to be fixed with a check and a fixture in fixtures/invalid/.
 *
 * The cases are the same on every run (a fixed seed), so that a failure can be reproduced;
 * KUBEMIN_PARITY_SEED and KUBEMIN_PARITY_CASES change them, and `npm run bench -- parity`
 * runs many more with a new seed each time.
 */
import { describe, expect, it } from 'vitest';
import { describeRefusals, describeSummary, runParity } from '../../bench/parity/dry-run.js';
import { connect } from '../../src/cluster/http-client.js';
import { ClusterError } from '../../src/cluster/types.js';
import { testCluster } from '../cluster/cluster.js';

const cluster = testCluster();
const CASES = Number(process.env['KUBEMIN_PARITY_CASES'] ?? 400);
const SEED = Number(process.env['KUBEMIN_PARITY_SEED'] ?? 11_2026);

describe('what kubemin accepts, the API server accepts', { timeout: 300_000 }, () => {
  it(`dry-runs every object of the ${CASES} random specs kubemin accepts (seed ${SEED}): none is refused`, async () => {
    const namespace = await cluster.newNamespace('parity');
    const client = await connect({ kubeconfig: cluster.kubeconfig });
    try {
      const summary = await runParity({ client, namespace, cases: CASES, seed: SEED });
      console.log(describeSummary(summary));
      expect(summary.refusals, describeRefusals(summary.refusals)).toEqual([]);
      // Not vacuous: a good share of the specs compiled and went to the server, with the kinds
      // of every component type and trait; a good share was refused, by many different checks.
      expect(summary.accepted / summary.cases).toBeGreaterThan(0.25);
      expect(summary.refused / summary.cases).toBeGreaterThan(0.25);
      expect(summary.objects).toBeGreaterThan(summary.accepted * 2);
      for (const kind of [
        'Deployment',
        'StatefulSet',
        'Service',
        'Job',
        'CronJob',
        'ConfigMap',
        'Secret',
        'Ingress',
        'HorizontalPodAutoscaler',
        'PersistentVolumeClaim',
        'ServiceAccount',
        'Role',
        'PodDisruptionBudget',
        'NetworkPolicy',
      ]) {
        expect(summary.kinds.get(kind) ?? 0, `no ${kind} was dry-run`).toBeGreaterThan(0);
      }
      expect(summary.codes.size).toBeGreaterThanOrEqual(15);
    } finally {
      client.close();
    }
  });

  it('the dry-run sees refusals: an object the API server refuses is an error, not a pass', async () => {
    const namespace = await cluster.newNamespace('parity-probe');
    const client = await connect({ kubeconfig: cluster.kubeconfig });
    try {
      const refused = client.apply(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe', namespace }, data: { 'bad key': 'x' } },
        { fieldManager: 'kubemin-parity', force: true, dryRun: true },
      );
      await expect(refused).rejects.toBeInstanceOf(ClusterError);
      await expect(refused).rejects.toMatchObject({ reason: 'Invalid' });
    } finally {
      client.close();
    }
  });
});
