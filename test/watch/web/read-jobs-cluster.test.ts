import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { emitYaml } from '../../../src/bundle/yaml-emit.js';
import { connect } from '../../../src/cluster/http-client.js';
import { RefusedLists } from '../../../src/cluster/live-objects.js';
import type { ClusterClient } from '../../../src/cluster/types.js';
import { jobRows, type JobRow, type JobsApp } from '../../../src/dashboard/jobs-model.js';
import { jobsPage } from '../../../src/dashboard/jobs-page.js';
import { readJobs } from '../../../src/watch/web/read-jobs.js';
import { testCluster } from '../../cluster/cluster.js';
import { serviceAccountTokens, writeKubeconfig } from '../../cluster/tokens.js';
import { cli, tempDir } from '../../helpers/cli.js';

/**
 * The Jobs view's read and model on the real test cluster: apps applied with kubemin's own apply
 * (KWOK runs the pods: a Job pod of a `:fail` image exits 1; a pod wanting 4 GPUs is never
 * scheduled, the nodes having 2), then readJobs + jobRows as the daemon's web view does them.
 */

const cluster = testCluster();

type Component = Record<string, unknown>;

/** A repository of apps (name → components), all in namespace `ns`. */
function repo(ns: string, apps: Record<string, Component[]>): string {
  const dir = tempDir();
  for (const [name, components] of Object.entries(apps)) {
    mkdirSync(join(dir, name));
    const text = emitYaml({ apiVersion: 'kubemin.dev/v1alpha1', kind: 'Application', metadata: { name, namespace: ns }, spec: { components } } as never);
    writeFileSync(join(dir, name, 'kubemin.yaml'), text);
  }
  return dir;
}

/** kubemin apply, without the GPU preflight (the job that cannot be placed is created). */
async function apply(dir: string): Promise<void> {
  const r = await cli(['apply', dir, '--kubeconfig', cluster.kubeconfig, '-o', 'json', '--poll-interval', '200ms', '--skip-preflight']);
  if (!r.stdout.trim()) throw new Error(`kubemin apply printed no result (exit ${r.code}): ${r.stderr}`);
}

async function client(kubeconfig = cluster.kubeconfig): Promise<ClusterClient> {
  const c = await connect({ kubeconfig });
  onTestFinished(() => c.close());
  return c;
}

/** Reads and models until `done` holds of the rows (the cluster's controllers work on after the apply returns). */
async function rowsWhen(c: ClusterClient, apps: JobsApp[], done: (rows: JobRow[]) => boolean): Promise<{ rows: JobRow[]; problems: string[] }> {
  let last: { rows: JobRow[]; problems: string[] } = { rows: [], problems: [] };
  for (let i = 0; i < 300; i++) {
    const read = await readJobs(c, apps);
    last = { rows: jobRows({ apps, ...read }, Date.now()), problems: read.problems };
    if (done(last.rows)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the rows never got there: ${JSON.stringify(last, null, 2)}`);
}

const states = (rows: JobRow[]): string[] => rows.map((r) => `${r.key}:${r.component}:${r.state}`).sort();

describe('readJobs on the cluster', { timeout: 180_000 }, () => {
  it('shows a finished Job with its duration, one queued with the scheduler’s reason, one failed with its cause, and a CronJob run', async () => {
    const ns = await cluster.newNamespace('jobs-view');
    await apply(
      repo(ns, {
        etl: [
          { name: 'migrate', type: 'job', image: 'ghcr.io/acme/migrate:1' },
          { name: 'backup', type: 'cronjob', image: 'ghcr.io/acme/backup:1', schedule: '0 3 1 1 *' },
        ],
        train: [{ name: 'train', type: 'job', image: 'ghcr.io/acme/train:1', traits: { resources: { cpu: '1', memory: '1Gi', gpu: 4 } } }],
        broken: [
          { name: 'seed', type: 'job', image: 'ghcr.io/acme/seed:fail', job: { backoffLimit: 0 } },
          { name: 'load', type: 'job', image: 'ghcr.io/acme/load:fail', job: { backoffLimit: 0, restartPolicy: 'Never' } },
        ],
      }),
    );
    // A run of the CronJob by hand (as `kubectl create job --from` does it: owned by the CronJob, its template's labels),
    // and a Job that is not kubemin's, in the same namespace.
    await cluster.kubectl(['create', 'job', 'backup-manual', '--from=cronjob/backup', '-n', ns]);
    await cluster.kubectl(['create', 'job', 'by-hand', '--image=ghcr.io/acme/x:1', '-n', ns]);

    const c = await client();
    const apps: JobsApp[] = ['etl', 'train', 'broken'].map((app) => ({ key: app, app, namespace: ns }));
    const { rows, problems } = await rowsWhen(c, apps, (rows) => rows.length === 5 && rows.every((r) => r.state !== 'running'));
    expect(problems).toEqual([]);
    expect(states(rows)).toEqual(['broken:load:failed', 'broken:seed:failed', 'etl:backup:succeeded', 'etl:migrate:succeeded', 'train:train:queued']);

    const by = (component: string): JobRow => rows.find((r) => r.component === component)!;
    expect(by('migrate')).toMatchObject({ namespace: ns, name: expect.stringMatching(/^migrate-[0-9a-f]{8}$/), attempts: 1 });
    expect(by('migrate').durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(by('migrate').finished!)).toBeGreaterThanOrEqual(Date.parse(by('migrate').started!));
    expect(by('train').reason).toMatch(/^0\/3 nodes are available: .*Insufficient nvidia\.com\/gpu/);
    expect(by('train').attempts).toBe(0);
    // Its pod retried in place (restartPolicy OnFailure) is deleted when the Job fails: the Job's cause alone.
    expect(by('seed').reason).toBe('BackoffLimitExceeded: Job has reached the specified backoff limit');
    expect(by('seed').finished).toBeDefined();
    // A failed pod of restartPolicy Never stays: its container's exit too.
    expect(by('load').reason).toBe(
      'BackoffLimitExceeded: Job has reached the specified backoff limit; last failure: container load exited with code 1 (Error)',
    );
    expect(by('load').attempts).toBe(1);
    expect(by('backup')).toMatchObject({ name: 'backup-manual', cronJob: 'backup', schedule: '0 3 1 1 *' });

    // The page of these rows: each in its group.
    const html = jobsPage(rows).fragments[0]!.html;
    expect(html).toContain('>Queued <span class="meta">(1)</span>');
    expect(html).toContain('>Finished <span class="meta">(2)</span>');
    expect(html).toContain('>Failed <span class="meta">(2)</span>');
    expect(html).toContain('Insufficient nvidia.com/gpu');
    expect(html).not.toContain('by-hand');
  });

  it('a Job whose pods Pod Security refuses is failed with the API server’s refusal (its FailedCreate event), not queued', async () => {
    const ns = await cluster.newNamespace('jobs-psa');
    await cluster.kubectl(['label', 'namespace', ns, 'pod-security.kubernetes.io/enforce=restricted']);
    // Made by hand with kubemin's labels: kubemin itself renders pods that meet restricted.
    const labels = { 'app.kubernetes.io/instance': 'batch', 'app.kubernetes.io/name': 'priv', 'app.kubernetes.io/managed-by': 'kubemin' };
    const privileged = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'priv', namespace: ns, labels },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { labels },
          spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', securityContext: { privileged: true } }] },
        },
      },
    };
    const dir = tempDir();
    writeFileSync(join(dir, 'job.yaml'), emitYaml(privileged as never));
    await cluster.kubectl(['apply', '-f', join(dir, 'job.yaml')]);
    const apps: JobsApp[] = [{ key: 'batch', app: 'batch', namespace: ns }];
    const { rows, problems } = await rowsWhen(await client(), apps, (r) => r.some((x) => x.state === 'failed'));
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.reason).toMatch(/its pods are refused: .*forbidden: violates PodSecurity "restricted:latest": privileged/);
  });

  it('a namespace RBAC does not let it list is a problem line, the others are read; the refused LIST across namespaces is not sent again', async () => {
    const [mine, theirs] = [await cluster.newNamespace('jobs-rbac'), await cluster.newNamespace('jobs-rbac-other')];
    await apply(repo(mine, { etl: [{ name: 'migrate', type: 'job', image: 'ghcr.io/acme/migrate:1' }] }));
    const tokens = await serviceAccountTokens(cluster, mine);
    const token = await tokens.mint('reader');
    const c = await client(writeKubeconfig(join(tempDir(), 'kubeconfig'), tokens, { name: 'reader', user: { token } }));
    const apps: JobsApp[] = [
      { key: 'etl', app: 'etl', namespace: mine },
      { key: 'other', app: 'other', namespace: theirs },
    ];

    const refused = new RefusedLists();
    // Discovery first (cached by the client): the counts below are the LISTs alone.
    await c.resourceFor('batch/v1', 'Job');
    await c.resourceFor('v1', 'Pod');
    const before = c.requests;
    const read = await readJobs(c, apps, { refused });
    // 3 LISTs across namespaces (refused), then 3 kinds × 2 namespaces.
    expect(c.requests - before).toBe(9);
    expect(read.problems).toEqual([
      expect.stringMatching(new RegExp(`^cannot list CronJobs in namespace ${theirs}: .*forbidden`)),
      expect.stringMatching(new RegExp(`^cannot list Jobs in namespace ${theirs}: .*forbidden`)),
      expect.stringMatching(new RegExp(`^cannot list Pods in namespace ${theirs}: .*forbidden`)),
    ]);
    expect(jobRows({ apps, ...read }, Date.now()).map((r) => `${r.key}:${r.component}:${r.state}`)).toEqual(['etl:migrate:succeeded']);

    const again = c.requests;
    await readJobs(c, apps, { refused });
    expect(c.requests - again).toBe(6);
  });
});
