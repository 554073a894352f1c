import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppApplyResult } from '../../src/apply/types.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { inventoryName } from '../../src/inventory/inventory.js';
import { testCluster } from '../cluster/cluster.js';
import { cli, tempDir } from '../helpers/cli.js';

/**
 * kubemin apply against the real API server, controllers, scheduler and KWOK nodes of the test
 * cluster. Failures come from the harness's image conventions (README, "Test cluster"):
 * `registry.invalid/...` never pulls, `:crashloop` crash-loops, a Job pod of a `:fail` image exits 1.
 */

const cluster = testCluster();
const POLL = ['--poll-interval', '200ms'];

type Component = Record<string, unknown>;

function spec(name: string, ns: string, components: Component[], extra: Record<string, unknown> = {}): string {
  return emitYaml({ apiVersion: 'kubemin.dev/v1alpha1', kind: 'Application', metadata: { name, namespace: ns }, spec: { components, ...extra } } as never);
}

function repo(text: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'kubemin.yaml'), text);
  return dir;
}

async function apply(text: string, ...args: string[]): Promise<{ code: number; result: AppApplyResult; stderr: string }> {
  const r = await cli(['apply', repo(text), '--kubeconfig', cluster.kubeconfig, '-o', 'json', ...POLL, ...args]);
  if (!r.stdout.trim()) throw new Error(`kubemin apply printed no result (exit ${r.code}): ${r.stderr}`);
  const parsed = JSON.parse(r.stdout) as { apps: AppApplyResult[] };
  expect(parsed.apps).toHaveLength(1);
  return { code: r.code, result: parsed.apps[0]!, stderr: r.stderr };
}

const outcomes = (r: AppApplyResult): string[] => r.phases.map((p) => `${p.name}:${p.outcome}`);
const actions = (r: AppApplyResult): string[] => r.phases.flatMap((p) => p.objects.map((o) => o.action));

/**
 * `kubemin apply DIR` as its own process (node with tsx as a loader, so that signals reach the
 * apply itself), resolved once phase 1 is done and phase 2's Deployment exists.
 */
async function startedSecondPhase(dir: string, ns: string): Promise<{ child: ChildProcessWithoutNullStreams; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/kubemin-process.ts', 'apply', dir, '--kubeconfig', cluster.kubeconfig, ...POLL]);
  let out = '';
  child.stderr.on('data', (d: Buffer) => void (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/01-config\s+ready/.test(out)) resolve();
    });
    child.on('exit', (c) => reject(new Error(`apply exited (${c}) before phase 2: ${out}`)));
  });
  await cluster.kubectl(['wait', '--for=create', '-n', ns, 'deployment/slow', '--timeout=60s']);
  return { child, output: () => out };
}

const web = (image = 'ghcr.io/acme/web:1.0'): Component => ({ name: 'web', type: 'webservice', image, ports: [{ port: 8080 }] });

describe('kubemin apply against the cluster', { timeout: 180_000 }, () => {
  it('applies the shop example phase by phase: the migration Job completed before the web Deployment was created', async () => {
    const ns = await cluster.newNamespace('apply-shop');
    const text = readFileSync('examples/shop/kubemin.yaml', 'utf8').replace(/namespace: shop/, `namespace: ${ns}`);
    const { code, result } = await apply(text);
    expect(code).toBe(0);
    expect(result.outcome).toBe('applied');
    expect(outcomes(result)).toEqual(['namespace:ready', 'data-settings:ready', 'data-redis:ready', 'migrate:ready', 'app:ready']);
    // Observable in the cluster: the Job's completion is no later than the Deployment's creation.
    const job = await cluster.kubectlJson<any>(['get', 'jobs', '-n', ns, '-l', 'app.kubernetes.io/name=migrate']);
    const deployment = await cluster.kubectlJson<any>(['get', 'deployment/web', '-n', ns]);
    expect(job.items).toHaveLength(1);
    const completed = Date.parse(job.items[0].status.completionTime);
    expect(completed).toBeLessThanOrEqual(Date.parse(deployment.metadata.creationTimestamp));
    // And in the result: each phase started after the previous one finished.
    for (let i = 1; i < result.phases.length; i++) {
      expect(Date.parse(result.phases[i]!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(result.phases[i - 1]!.finishedAt!));
    }
    // The inventory lists exactly what was applied.
    const inventory = await cluster.kubectlJson<any>(['get', 'configmap', inventoryName('shop'), '-n', ns]);
    expect(inventory.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'kubemin' });
    expect(inventory.data.objects.trim().split('\n')).toHaveLength(result.phases.reduce((n, p) => n + p.objects.length, 0));

    // Re-applying the unchanged app changes nothing.
    const again = await apply(text);
    expect(again.code).toBe(0);
    expect(new Set(actions(again.result))).toEqual(new Set(['unchanged']));
    const jobAgain = await cluster.kubectlJson<any>(['get', 'jobs', '-n', ns, '-l', 'app.kubernetes.io/name=migrate']);
    expect(jobAgain.items.map((j: any) => j.metadata.uid)).toEqual([job.items[0].metadata.uid]); // not run again
  });

  it('applies a rendered bundle directory (kubemin render --out) the same way', async () => {
    const ns = await cluster.newNamespace('apply-bundle');
    const out = join(tempDir(), 'rendered');
    const dir = repo(
      spec('bundled', ns, [{ name: 'settings', type: 'config', data: { A: 'b' } }, web()], {
        workflow: {
          steps: [
            { name: 'config', components: ['settings'] },
            { name: 'app', components: ['web'] },
          ],
        },
      }),
    );
    expect((await cli(['render', dir, '--out', out])).code).toBe(0);
    const r = await cli(['apply', out, '--kubeconfig', cluster.kubeconfig, ...POLL]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^bundled: applying 2 phases to namespace .*\n  01-config\s+ready .*1 object \(1 created\)\n  02-app\s+ready .*2 objects \(2 created\)\nbundled: applied in/,
    );
    const again = await cli(['apply', dir, '--kubeconfig', cluster.kubeconfig, '-o', 'json', ...POLL]);
    expect(new Set(actions((JSON.parse(again.stdout) as { apps: AppApplyResult[] }).apps[0]!))).toEqual(new Set(['unchanged']));
  });

  it('fails fast on an image that does not pull, naming the pod and the source line', async () => {
    const ns = await cluster.newNamespace('apply-pull');
    const { code, result } = await apply(spec('pull', ns, [web('registry.invalid/acme/web:1.0')], { policies: { timeout: '10m' } }));
    expect(code).toBe(1);
    const phase = result.phases[0]!;
    expect(phase.outcome).toBe('failed'); // not `timeout`: it did not wait 10 minutes
    const deployment = phase.objects.find((o) => o.ref.kind === 'Deployment')!;
    expect(['ImagePullBackOff', 'ErrImagePull']).toContain(deployment.reason);
    expect(deployment.pod).toMatch(new RegExp(`^${ns}/web-`));
    expect(phase.reasons[0]).toMatch(
      new RegExp(
        `^Deployment ${ns}/web \\([^ ]*app/kubemin.yaml:\\d+, component web\\): (ImagePullBackOff|ErrImagePull): container web cannot pull image registry.invalid/acme/web:1.0`,
      ),
    );
    expect(result.failure?.phase).toBe('01-web');
  });

  it('fails fast on a crash loop', async () => {
    const ns = await cluster.newNamespace('apply-crash');
    const { code, result } = await apply(spec('crash', ns, [web('ghcr.io/acme/web:crashloop')], { policies: { timeout: '10m' } }));
    expect(code).toBe(1);
    expect(result.phases[0]!.outcome).toBe('failed');
    expect(result.phases[0]!.reasons[0]).toMatch(/CrashLoopBackOff: container web keeps crashing: exit code 1/);
  });

  it('refuses a job needing more GPUs than a node has before applying it; without the preflight it is Unschedulable, not failed', async () => {
    const ns = await cluster.newNamespace('apply-gpu');
    const text = spec(
      'train',
      ns,
      [{ name: 'train', type: 'job', image: 'ghcr.io/acme/train:1', traits: { resources: { cpu: '1', memory: '1Gi', gpu: 4 } } }],
      {
        policies: { timeout: '10m' },
      },
    );
    const refused = await apply(text);
    expect(refused.code).toBe(1);
    expect(refused.result.phases[0]!.outcome).toBe('refused');
    // How many of the 2 GPUs are free depends on the GPU pods of other tests running at the same time: 4 never fit.
    expect(refused.result.phases[0]!.reasons[0]).toMatch(
      /^GPU preflight: needs 4 nvidia.com\/gpu \(Job .*\/train-[0-9a-f]+: 1 pod × 4\), but the nodes have [0-2] free of 2 allocatable \(at most [0-2] free on one node, kwok-gpu-node-1\)/,
    );
    const jobs = await cluster.kubectlJson<any>(['get', 'jobs', '-n', ns]);
    expect(jobs.items).toEqual([]); // nothing was applied

    const skipped = await apply(text, '--skip-preflight');
    expect(skipped.code).toBe(1);
    const phase = skipped.result.phases[0]!;
    expect(phase.outcome).toBe('unschedulable');
    expect(phase.reasons[0]).toMatch(/Unschedulable: the scheduler cannot place it: 0\/3 nodes are available: .*Insufficient nvidia.com\/gpu/);
  });

  it('a gpu-preflight step checks the later phases before anything is applied', async () => {
    const ns = await cluster.newNamespace('apply-gpu-step');
    const text = spec(
      'train',
      ns,
      [
        { name: 'settings', type: 'config', data: { A: 'b' } },
        {
          name: 'train',
          type: 'job',
          image: 'ghcr.io/acme/train:1',
          job: { parallelism: 2, completions: 2 },
          traits: { resources: { cpu: '1', memory: '1Gi', gpu: 2 } },
        },
      ],
      {
        workflow: {
          steps: [
            { name: 'gpus', type: 'gpu-preflight', for: ['train'] },
            { name: 'config', components: ['settings'] },
            { name: 'run', components: ['train'] },
          ],
        },
      },
    );
    const { code, result } = await apply(text);
    expect(code).toBe(1);
    expect(outcomes(result)).toEqual(['gpus:refused', 'config:skipped', 'run:skipped']);
    expect(result.phases[0]!.reasons[0]).toContain('needs 4 nvidia.com/gpu');
    expect((await cluster.kubectlJson<any>(['get', 'configmaps', '-n', ns, '-l', 'app.kubernetes.io/instance=train'])).items).toEqual([]);
  });

  it('reports a Job that exits non-zero as failed, with its reason, after its backoffLimit (and retries the step as the policy says)', async () => {
    const ns = await cluster.newNamespace('apply-job');
    const text = spec('batch', ns, [{ name: 'migrate', type: 'job', image: 'ghcr.io/acme/migrate:fail', job: { backoffLimit: 0 } }], {
      policies: { timeout: '5m', retries: 1 },
    });
    const { code, result } = await apply(text);
    expect(code).toBe(1);
    const phase = result.phases[0]!;
    expect(phase.outcome).toBe('failed');
    expect(phase.attempts).toBe(2);
    expect(phase.reasons[0]).toMatch(
      /Job .*\/migrate-[0-9a-f]+ \([^ ]*app\/kubemin.yaml:\d+, component migrate\): BackoffLimitExceeded: .*last failure: container migrate exited with code 1/,
    );
  });

  it('prunes a removed component with --prune, and leaves alone what kubemin did not apply', async () => {
    const ns = await cluster.newNamespace('apply-prune');
    const worker: Component = { name: 'worker', type: 'worker', image: 'ghcr.io/acme/worker:1' };
    expect((await apply(spec('prune', ns, [web(), worker]))).code).toBe(0);
    // Someone else's ConfigMap, which a stale inventory entry claims.
    await cluster.kubectl(['create', 'configmap', 'not-kubemins', '-n', ns, '--from-literal=a=b']);
    const inv = await cluster.kubectlJson<any>(['get', 'configmap', inventoryName('prune'), '-n', ns]);
    const objects = `${inv.data.objects}${JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'not-kubemins', phase: 2 })}\n`;
    await cluster.kubectl(['patch', 'configmap', inventoryName('prune'), '-n', ns, '--type=merge', '-p', JSON.stringify({ data: { objects } })]);

    const withoutPrune = await apply(spec('prune', ns, [web()]));
    expect(withoutPrune.code).toBe(0);
    expect(withoutPrune.result.pruned).toEqual([]);
    await cluster.kubectl(['get', 'deployment/worker', '-n', ns]); // still there

    const { code, result } = await apply(spec('prune', ns, [web()]), '--prune');
    expect(code).toBe(0);
    expect(result.pruned.map((p) => `${p.ref.kind}/${p.ref.name}:${p.action}`).sort()).toEqual(['ConfigMap/not-kubemins:kept', 'Deployment/worker:deleted']);
    expect(result.pruned.find((p) => p.ref.name === 'not-kubemins')!.reason).toMatch(/not applied by kubemin/);
    await cluster.kubectl(['get', 'configmap/not-kubemins', '-n', ns]);
    const gone = await cluster.kubectl(['get', 'deployment', '-n', ns, '-o', 'name']);
    expect(gone.trim().split('\n')).toEqual(['deployment.apps/web']);
    const after = await cluster.kubectlJson<any>(['get', 'configmap', inventoryName('prune'), '-n', ns]);
    expect(after.data.objects).not.toMatch(/worker|not-kubemins/);
  });

  it('runs a changed Job under its new name and deletes the old one once the new one completed', async () => {
    const ns = await cluster.newNamespace('apply-jobs');
    const job = (args: string[]): Component => ({ name: 'migrate', type: 'job', image: 'ghcr.io/acme/migrate:1', args });
    expect((await apply(spec('jobs', ns, [job(['--step', '1'])]))).code).toBe(0);
    const first = await cluster.kubectl(['get', 'jobs', '-n', ns, '-o', 'name']);
    const { code, result } = await apply(spec('jobs', ns, [job(['--step', '2'])]));
    expect(code).toBe(0);
    const now = (await cluster.kubectl(['get', 'jobs', '-n', ns, '-o', 'name'])).trim().split('\n');
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(first.trim());
    expect(result.pruned).toEqual([
      expect.objectContaining({ action: 'deleted', ref: expect.objectContaining({ name: first.trim().replace('job.batch/', '') }) }),
    ]);
  });

  it('reports fields owned by another field manager as a conflict, and takes them over with --force-conflicts', async () => {
    const ns = await cluster.newNamespace('apply-conflict');
    const text = spec('conflict', ns, [web()]);
    expect((await apply(text)).code).toBe(0);
    await cluster.kubectl(['-n', ns, 'set', 'image', 'deployment/web', 'web=ghcr.io/acme/web:hotfix']);
    const conflict = await apply(text);
    expect(conflict.code).toBe(1);
    expect(conflict.result.phases[0]!.reasons[0]).toMatch(/Deployment .*\/web .*: Conflict: .*run with --force-conflicts/);
    const forced = await apply(text, '--force-conflicts');
    expect(forced.code).toBe(0);
    const d = await cluster.kubectlJson<any>(['get', 'deployment/web', '-n', ns]);
    expect(d.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/web:1.0');
  });

  it('--dry-run changes nothing and says what each phase would do', async () => {
    const ns = await cluster.newNamespace('apply-dry');
    const { code, result } = await apply(spec('dry', ns, [web()]), '--dry-run');
    expect(code).toBe(0);
    expect(result.outcome).toBe('planned');
    expect(actions(result)).toEqual(['created', 'created']);
    expect((await cluster.kubectl(['get', 'all', '-n', ns, '-o', 'name'])).trim()).toBe('');
  });

  it('gives up on a phase that is not ready within its timeout, saying what it waited for', async () => {
    const ns = await cluster.newNamespace('apply-timeout');
    const { code, result } = await apply(
      spec('late', ns, [web('ghcr.io/acme/web:slow')], { workflow: { steps: [{ name: 'app', components: ['web'], timeout: '2s' }] } }),
    );
    expect(code).toBe(1);
    expect(result.phases[0]!.outcome).toBe('timeout');
    expect(result.phases[0]!.reasons).toEqual([
      expect.stringMatching(new RegExp(`^Deployment ${ns}/web .*: 0 of 1 replicas (updated|available) \\(not ready when the phase timed out\\)$`)),
    ]);
  });

  it('stops cleanly on Ctrl-C: records what it applied and says so', async () => {
    const ns = await cluster.newNamespace('apply-int');
    const dir = repo(
      spec(
        'int',
        ns,
        [
          { name: 'settings', type: 'config', data: { A: 'b' } },
          { name: 'slow', type: 'worker', image: 'ghcr.io/acme/slow:slow' },
        ],
        {
          workflow: {
            steps: [
              { name: 'config', components: ['settings'] },
              { name: 'app', components: ['slow'] },
            ],
          },
        },
      ),
    );
    const { child, output } = await startedSecondPhase(dir, ns);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(output()).toMatch(/\n  02-app\s+interrupted .*1 object \(1 created\)\n/);
    expect(output()).toMatch(/int: interrupted after [\d.]+s; what was applied is recorded: run apply again to converge\n$/);
    const inventory = await cluster.kubectlJson<any>(['get', 'configmap', inventoryName('int'), '-n', ns]);
    expect(
      inventory.data.objects
        .trim()
        .split('\n')
        .map((l: string) => `${JSON.parse(l).kind}/${JSON.parse(l).name}`)
        .sort(),
    ).toEqual(['ConfigMap/settings', 'Deployment/slow']);
  });

  it('converges when re-run after being killed in the middle of a phase', async () => {
    const ns = await cluster.newNamespace('apply-kill');
    const components = [
      { name: 'settings', type: 'config', data: { A: 'b' } },
      { name: 'slow', type: 'webservice', image: 'ghcr.io/acme/slow:slow', ports: [{ port: 80 }] }, // ready after 30 s
    ];
    const dir = repo(
      spec('kill', ns, components, {
        policies: { timeout: '10m' },
        workflow: {
          steps: [
            { name: 'config', components: ['settings'] },
            { name: 'app', components: ['slow'] },
          ],
        },
      }),
    );
    // Killed (SIGKILL, no chance to clean up) while phase 2 waits.
    const { child } = await startedSecondPhase(dir, ns);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));

    // Fixed and re-run: converges, with no duplicate or orphaned objects.
    writeFileSync(
      join(dir, 'app', 'kubemin.yaml'),
      spec('kill', ns, [components[0]!, { ...components[1]!, image: 'ghcr.io/acme/slow:1' }], {
        workflow: {
          steps: [
            { name: 'config', components: ['settings'] },
            { name: 'app', components: ['slow'] },
          ],
        },
      }),
    );
    const r = await cli(['apply', dir, '--kubeconfig', cluster.kubeconfig, '-o', 'json', ...POLL]);
    expect(r.code).toBe(0);
    const objects = await cluster.kubectl(['get', 'deployments,services,configmaps', '-n', ns, '-l', 'app.kubernetes.io/instance=kill', '-o', 'name']);
    expect(objects.trim().split('\n').sort()).toEqual(['configmap/kubemin-inventory-kill', 'configmap/settings', 'deployment.apps/slow', 'service/slow']);
    const rs = await cluster.kubectlJson<any>(['get', 'replicasets', '-n', ns]);
    expect(rs.items.filter((x: any) => x.spec.replicas > 0).map((x: any) => x.spec.template.spec.containers[0].image)).toEqual(['ghcr.io/acme/slow:1']);
    const inventory = await cluster.kubectlJson<any>(['get', 'configmap', inventoryName('kill'), '-n', ns]);
    expect(
      inventory.data.objects
        .trim()
        .split('\n')
        .map((l: string) => JSON.parse(l).name)
        .sort(),
    ).toEqual(['settings', 'slow', 'slow']);
  });
});
