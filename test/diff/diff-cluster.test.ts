import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emitStream } from '../../src/bundle/emit-bundle.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { compile } from '../../src/compile.js';
import { refOf } from '../../src/k8s/object-ref.js';
import { diffApps } from '../../src/cluster/diff-apps.js';
import { connect } from '../../src/cluster/http-client.js';
import { encodeInventory } from '../../src/inventory/inventory.js';
import { cli, tempDir } from '../helpers/cli.js';
import { testCluster, type TestCluster } from '../cluster/cluster.js';
import { recordedClient } from '../cluster/recorded-client.js';

/** kubemin diff against the real API server of the test cluster. */

let cluster: TestCluster;
beforeAll(() => {
  cluster = testCluster();
});

const SECRET_VALUE = 'correct-horse-battery-staple';

function shop(ns: string, opts: { image?: string; worker?: boolean; secret?: string; createNamespace?: boolean; size?: string } = {}): string {
  const components: unknown[] = [
    { name: 'settings', type: 'config', data: { LOG_LEVEL: 'info' } },
    { name: 'creds', type: 'secret', stringData: { PASSWORD: opts.secret ?? SECRET_VALUE, USER: 'shop' } },
    {
      name: 'redis',
      type: 'store',
      image: 'redis:7.2',
      ports: [{ port: 6379 }],
      traits: { storage: [{ name: 'data', type: 'persistent', size: opts.size ?? '1Gi' }] },
    },
    {
      name: 'web',
      type: 'webservice',
      image: opts.image ?? 'ghcr.io/acme/shop:1.4.0',
      replicas: 2,
      ports: [{ port: 8080 }],
      traits: {
        envFrom: [
          { type: 'config', sourceName: 'settings' },
          { type: 'secret', sourceName: 'creds' },
        ],
        ingress: [{ hosts: ['shop.example.com'] }],
      },
    },
  ];
  if (opts.worker !== false) components.push({ name: 'worker', type: 'worker', image: 'ghcr.io/acme/shop:1.4.0' });
  return emitYaml({
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: ns },
    spec: { ...(opts.createNamespace ? { createNamespace: true } : {}), components },
  } as never);
}

function repo(spec: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'shop'));
  writeFileSync(join(dir, 'shop', 'kubemin.yaml'), spec);
  return dir;
}

/** What `kubemin apply` will do, done by kubectl here: server-side apply as `kubemin`, and the inventory. */
async function applyAsKubemin(spec: string): Promise<void> {
  const { apps, diagnostics } = compile([{ path: 'kubemin.yaml', text: spec }]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const app = apps[0]!;
  await cluster.kubectl(['apply', '--server-side', '--field-manager=kubemin', '-f', '-'], { input: emitStream(apps) });
  const inventory = encodeInventory({ app: app.name, namespace: app.namespace, objects: app.phases.flatMap((p) => p.objects.map((o) => refOf(o.object))) });
  await cluster.kubectl(['apply', '--server-side', '--field-manager=kubemin', '-f', '-'], { input: emitYaml(inventory as never) });
}

async function diff(spec: string, ...args: string[]) {
  return cli(['diff', repo(spec), '--kubeconfig', cluster.kubeconfig, ...args]);
}

describe('kubemin diff against the cluster', () => {
  it('refused credentials: one error naming the user and the fix, not one per object, exit 2', async () => {
    const ns = await cluster.newNamespace('diff-auth');
    const server = /server: (\S+)/.exec(readFileSync(cluster.kubeconfig, 'utf8'))![1];
    const dir = repo(shop(ns));
    const kubeconfig = join(dir, 'bad.kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]\nusers: [{name: deployer, user: {token: not-a-valid-token}}]\ncontexts: [{name: x, context: {cluster: c, user: deployer}}]\ncurrent-context: x\n`,
    );
    const r = await cli(['diff', dir, '--kubeconfig', kubeconfig]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('kubemin:') || l.startsWith('error:'));
    expect(errors).toEqual([
      expect.stringMatching(/^kubemin: the API server at \S+ refused the credentials of user "deployer" \(context "x"\) \(401 Unauthorized\)/),
    ]);
    expect(r.stderr).not.toContain('not-a-valid-token');
  });

  it('an unchanged app: exit 0 and only the summary line', async () => {
    const ns = await cluster.newNamespace('diff-same');
    await applyAsKubemin(shop(ns));
    const r = await diff(shop(ns));
    expect(r.stderr).toContain('0 errors, 1 warning'); // the plain-text secret of the spec
    expect(r.stdout).toBe('0 to create, 0 to update, 0 to delete, 10 unchanged\n');
    expect(r.code).toBe(0);
  });

  it('an image bump changes exactly that line and the version label of the workload and its pods', async () => {
    const ns = await cluster.newNamespace('diff-image');
    await applyAsKubemin(shop(ns));
    const r = await diff(shop(ns, { image: 'ghcr.io/acme/shop:1.5.0' }));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^Deployment ${ns}/web \\(update, [^ ]*shop/kubemin.yaml:\\d+\\)$`, 'm'));
    const changed = r.stdout.split('\n').filter((l) => /^[-+]/.test(l));
    expect(changed).toEqual([
      '-        app.kubernetes.io/version: "1.4.0"',
      '+        app.kubernetes.io/version: "1.5.0"',
      '-          image: ghcr.io/acme/shop:1.4.0',
      '+          image: ghcr.io/acme/shop:1.5.0',
      '-    app.kubernetes.io/version: "1.4.0"',
      '+    app.kubernetes.io/version: "1.5.0"',
    ]);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 to create, 1 to update, 0 to delete, 9 unchanged');
  });

  it('a removed component shows its objects as deletes', async () => {
    const ns = await cluster.newNamespace('diff-delete');
    await applyAsKubemin(shop(ns));
    const r = await diff(shop(ns, { worker: false }));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`Deployment ${ns}/worker (delete)`);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 to create, 0 to update, 1 to delete, 9 unchanged');
  });

  it('a Job whose template changed is one entry that replaces the old Job, with the diff between them; -o json links the two', async () => {
    const ns = await cluster.newNamespace('diff-job');
    const withJob = (image: string): string =>
      shop(ns).replace('  components:\n', `  components:\n    - name: migrate\n      type: job\n      image: ${image}\n      command: [./migrate]\n`);
    await applyAsKubemin(withJob('ghcr.io/acme/migrate:1'));
    const r = await diff(withJob('ghcr.io/acme/migrate:2'));
    expect(r.code).toBe(1);
    const headers = r.stdout.split('\n').filter((l) => l.startsWith('Job '));
    expect(headers).toHaveLength(1);
    expect(headers[0]).toMatch(new RegExp(`^Job ${ns}/migrate-[0-9a-f]{8} \\(replaces Job ${ns}/migrate-[0-9a-f]{8}, [^ ]*shop/kubemin.yaml:\\d+\\)$`));
    const changed = r.stdout.split('\n').filter((l) => /^[-+] /.test(l) || /^[-+]\s/.test(l));
    // Only what differs: the name, the image, the version label and what is derived from the template.
    expect(changed.some((l) => l.startsWith('-') && l.includes('image: ghcr.io/acme/migrate:1'))).toBe(true);
    expect(changed.some((l) => l.startsWith('+') && l.includes('image: ghcr.io/acme/migrate:2'))).toBe(true);
    expect(changed.filter((l) => l.includes('command'))).toEqual([]);
    // Nor the labels derived from each Job's uid, which differ between any two Jobs.
    expect(changed.filter((l) => l.includes('controller-uid'))).toEqual([]);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 to create, 0 to update, 1 to delete, 10 unchanged');

    const json = await diff(withJob('ghcr.io/acme/migrate:2'), '-o', 'json');
    const objects = (JSON.parse(json.stdout) as { apps: Array<{ objects: Array<Record<string, any>> }> }).apps[0]!.objects;
    const created = objects.find((o) => o.action === 'create')!;
    const deleted = objects.find((o) => o.action === 'delete')!;
    expect(created.replaces).toEqual(deleted.ref);
    expect(deleted.replacedBy).toEqual(created.ref);
  });

  it('a secret value change is a masked diff: no value in stdout, stderr or json', async () => {
    const ns = await cluster.newNamespace('diff-secret');
    await applyAsKubemin(shop(ns));
    const changed = 'tr0ub4dor-and-3';
    const r = await diff(shop(ns, { secret: changed }));
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter((l) => /^[-+]/.test(l))).toEqual(['-  PASSWORD: "*** (before)"', '+  PASSWORD: "*** (after)"']);
    const json = await diff(shop(ns, { secret: changed }), '-o', 'json');
    for (const text of [r.stdout, r.stderr, json.stdout, json.stderr]) {
      for (const value of [SECRET_VALUE, changed, Buffer.from(SECRET_VALUE).toString('base64'), Buffer.from(changed).toString('base64')]) {
        expect(text).not.toContain(value);
      }
    }
    const parsed = JSON.parse(json.stdout) as { summary: { update: number } };
    expect(parsed.summary.update).toBe(1);
  });

  it('drift made by hand in the cluster shows in the diff', async () => {
    const ns = await cluster.newNamespace('diff-drift');
    await applyAsKubemin(shop(ns));
    await cluster.kubectl(['-n', ns, 'set', 'image', 'deployment/web', 'web=ghcr.io/acme/shop:hotfix']);
    const r = await diff(shop(ns));
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter((l) => /^[-+]/.test(l))).toEqual([
      '-          image: ghcr.io/acme/shop:hotfix',
      '+          image: ghcr.io/acme/shop:1.4.0',
    ]);
    expect(r.stdout).toMatch(/# conflict: .*apply needs --force-conflicts/);
  });

  it('a change the API server refuses is reported with the object and its source line', async () => {
    const ns = await cluster.newNamespace('diff-invalid');
    await applyAsKubemin(shop(ns));
    // volumeClaimTemplates of a StatefulSet cannot be changed: only the server knows.
    const r = await diff(shop(ns, { size: '5Gi' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`error: StatefulSet ${ns}/redis \\([^ ]*shop/kubemin.yaml:\\d+, component redis\\): Invalid: .*Forbidden`));
  });

  it('a missing namespace: creates when the bundle creates it, a clear error otherwise', async () => {
    const ns = `diff-nons-${Date.now().toString(36)}`;
    const created = await diff(shop(ns, { createNamespace: true }));
    expect(created.code).toBe(1);
    expect(created.stdout.trimEnd().split('\n').at(-1)).toBe('11 to create, 0 to update, 0 to delete, 0 unchanged');
    const missing = await diff(shop(ns));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`namespace "${ns}" does not exist; create it, or set createNamespace: true`);
  });

  it('an unchanged app: one LIST per kind and namespace with several objects, a GET per other object, no dry-run', async () => {
    const ns = await cluster.newNamespace('diff-requests');
    await applyAsKubemin(shop(ns));
    const { apps } = compile([{ path: 'kubemin.yaml', text: shop(ns) }]);
    const objects = apps[0]!.phases.reduce((n, p) => n + p.objects.length, 0);
    const client = await connect({ kubeconfig: cluster.kubeconfig });
    const calls: string[] = [];
    try {
      const [result] = await diffApps(apps, recordedClient(client, calls));
      expect(result!.objects.map((o) => o.action)).toEqual(new Array(objects).fill('unchanged'));
      expect(result!.problems).toEqual([]);
      // The ConfigMaps with the inventory, the Services and the Deployments listed; no dry-run, not even
      // of the StatefulSet, whose claim templates the server fills with defaults (apply-is-noop.ts knows them).
      expect(calls.sort()).toEqual([
        'get Ingress',
        'get PodDisruptionBudget',
        'get Secret',
        'get StatefulSet',
        'list ConfigMap',
        'list Deployment',
        'list Service',
      ]);
      const groupVersions = new Set(apps[0]!.phases.flatMap((p) => p.objects.map((o) => o.object.apiVersion))).size;
      expect(client.requests).toBe(calls.length + groupVersions);
    } finally {
      client.close();
    }
  });
});
