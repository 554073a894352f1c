import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppApplyResult } from '../../src/apply/types.js';
import { testCluster } from '../cluster/cluster.js';
import { cli, tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';

/**
 * The escape hatches on the real API server: fixtures/render/escape-hatches (a CRD from a file,
 * then an object of it and a Secret inline, patched objects) applied by `kubemin apply` phase by
 * phase, then diffed: the patched objects are what the cluster keeps, with no churn.
 */
const cluster = testCluster();

describe('patches and k8s-objects on the cluster', { timeout: 120_000 }, () => {
  it('applies a CRD, then an object of it, then patched workloads; a second diff finds nothing to do', async () => {
    const ns = await cluster.newNamespace('hatches');
    // The fixture, moved into the test's namespace (a repository of its own: files are read inside it).
    const dir = tempDir('kubemin-hatches-');
    mkdirSync(join(dir, '.git'));
    cpSync(join(REPO, 'fixtures/render/escape-hatches/manifests'), join(dir, 'manifests'), { recursive: true });
    const spec = readFileSync(join(REPO, 'fixtures/render/escape-hatches/kubemin.yaml'), 'utf8').replace('namespace: hatches', `namespace: ${ns}`);
    writeFileSync(join(dir, 'kubemin.yaml'), spec);

    const applied = await cli(['apply', dir, '--kubeconfig', cluster.kubeconfig, '-o', 'json', '--poll-interval', '200ms']);
    expect(applied.code, applied.stderr).toBe(0);
    expect((JSON.parse(applied.stdout) as { apps: AppApplyResult[] }).apps[0]!.outcome).toBe('applied');
    expect(applied.stdout + applied.stderr).not.toContain('not-a-real-token');

    const schedule = await cluster.kubectlJson<any>(['get', 'backupschedules.backups.example.com', 'nightly', '-n', ns]);
    expect(schedule.spec).toEqual({ schedule: '0 3 * * *', credentialsSecret: 'backup-credentials' });
    expect(schedule.metadata.labels).toMatchObject({ tier: 'data', 'app.kubernetes.io/instance': 'hatches', 'app.kubernetes.io/name': 'backups' });
    const secret = await cluster.kubectlJson<any>(['get', 'secret', 'backup-credentials', '-n', ns]);
    expect(Buffer.from(secret.data.token, 'base64').toString()).toBe('not-a-real-token');
    const service = await cluster.kubectlJson<any>(['get', 'service', 'web', '-n', ns]);
    expect(service.spec.sessionAffinity).toBe('ClientIP');
    const deployment = await cluster.kubectlJson<any>(['get', 'deployment', 'web', '-n', ns]);
    expect(deployment.spec.minReadySeconds).toBe(5);
    expect(deployment.spec.template.spec.hostAliases).toEqual([{ ip: '10.0.0.5', hostnames: ['db.internal'] }]);
    const jobs = await cluster.kubectlJson<any>(['get', 'jobs', '-n', ns]);
    expect(jobs.items.map((j: any) => [j.metadata.name, j.spec.template.spec.hostname, j.status.succeeded])).toEqual([
      [expect.stringMatching(/^migrate-[0-9a-f]{8}$/), 'migrate', 1],
    ]);

    const diff = await cli(['diff', dir, '--kubeconfig', cluster.kubeconfig]);
    expect(diff.stderr).toBe('');
    expect(diff.code, diff.stdout).toBe(0);
  });
});
