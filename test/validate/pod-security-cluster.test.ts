import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { CompiledApp } from '../../src/compile.js';
import { podTemplateOf } from '../../src/k8s/pod-templates.js';
import type { K8sObject } from '../../src/k8s/types.js';
import type { PodSecurityLevel } from '../../src/spec/types.js';
import { evaluatePod, morePermissive } from '../../src/validate/pod-security/evaluate.js';
import { POD_SECURITY_VERSION } from '../../src/validate/pod-security/types.js';
import { testCluster } from '../cluster/cluster.js';
import { caseDirs, compileDir, readSpecs, REPO } from '../helpers/tree.js';
import { admissionReason, POD_CASES } from './pod-security-cases.js';

/**
 * The API server's PodSecurity admission is the judge: kubemin's checks agree with it on every
 * pod of the case table, and every example and render fixture, applied into a namespace that
 * enforces its level, is admitted without a warning and gets its pods.
 */

const cluster = testCluster();
const KUBECTL = process.env.KUBECTL || '/usr/bin/kubectl';

/** kubectl with its exit code and both streams (the warnings come on stderr, also on success). */
function kubectl(args: readonly string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(KUBECTL, ['--kubeconfig', cluster.kubeconfig, ...args], { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

async function namespaceEnforcing(prefix: string, level: PodSecurityLevel): Promise<string> {
  const ns = await cluster.newNamespace(prefix);
  await cluster.kubectl([
    'label',
    'namespace',
    ns,
    `pod-security.kubernetes.io/enforce=${level}`,
    `pod-security.kubernetes.io/enforce-version=${POD_SECURITY_VERSION}`,
  ]);
  return ns;
}

const ALL_REASONS = [
  ...new Set(
    POD_CASES.flatMap((c) => [...c.restricted.map((r) => admissionReason(r, 'restricted')), ...c.baseline.map((r) => admissionReason(r, 'baseline'))]),
  ),
];

describe("kubemin's Pod Security checks agree with the API server's admission", { timeout: 120_000 }, () => {
  for (const level of ['restricted', 'baseline'] as const) {
    it(`${level}: every pod of the case table is refused exactly when kubemin finds a violation, for the same reasons`, async () => {
      const ns = await namespaceEnforcing(`pss-${level}`, level);
      const items = POD_CASES.map((c) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: c.name, ...(c.annotations ? { annotations: c.annotations } : {}) },
        spec: c.spec,
      }));
      const r = await kubectl(['create', '-n', ns, '--dry-run=server', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
      const verdicts = new Map<string, string>();
      for (const line of r.stdout.split('\n')) {
        const m = /^pod\/(\S+) created \(server dry run\)$/.exec(line.trim());
        if (m) verdicts.set(m[1]!, 'admitted');
      }
      for (const line of r.stderr.split('\n')) {
        const m = /pods "([^"]+)" is forbidden: violates PodSecurity "[^"]+": (.*)$/.exec(line);
        // "forbidden AppArmor profile" is plural when there are several.
        if (m)
          verdicts.set(
            m[1]!,
            ALL_REASONS.filter((reason) => m[2]!.includes(`${reason} (`) || m[2]!.includes(`${reason}s (`))
              .sort()
              .join(', '),
          );
      }
      const expected = new Map(
        POD_CASES.map((c) => {
          const ours = evaluatePod({ annotations: c.annotations ?? {}, spec: c.spec }, level).map((v) => admissionReason(v.control, level));
          return [c.name, ours.length ? [...new Set(ours)].sort().join(', ') : 'admitted'];
        }),
      );
      // Some refusals must be in the table, or it proves nothing.
      expect([...expected.values()].filter((v) => v !== 'admitted').length).toBeGreaterThan(5);
      expect(Object.fromEntries(verdicts), r.stderr).toEqual(Object.fromEntries(expected));
    });
  }
});

/** The level of each component of the spec (its own, else the app's, else restricted), by app and component. */
function declaredLevels(dir: string): Map<string, { app: PodSecurityLevel; components: Map<string, PodSecurityLevel> }> {
  const out = new Map<string, { app: PodSecurityLevel; components: Map<string, PodSecurityLevel> }>();
  for (const f of readSpecs(dir)) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, f.path), 'utf8'))) {
      const spec = doc.toJS() as {
        metadata: { name: string };
        spec: { policies?: { podSecurity?: PodSecurityLevel }; components: Array<{ name: string; policies?: { podSecurity?: PodSecurityLevel } }> };
      };
      const app = spec.spec.policies?.podSecurity ?? 'restricted';
      out.set(spec.metadata.name, { app, components: new Map(spec.spec.components.map((c) => [c.name, c.policies?.podSecurity ?? app])) });
    }
  }
  return out;
}

/** The level the app's namespace must enforce: its rendered Namespace's label, else the most permissive level of its pods. */
function levelOf(app: CompiledApp, declared: { app: PodSecurityLevel; components: Map<string, PodSecurityLevel> }): PodSecurityLevel {
  const objects = app.phases.flatMap((p) => p.objects);
  const ns = objects.find((o) => o.object.kind === 'Namespace');
  if (ns) return ns.object.metadata.labels!['pod-security.kubernetes.io/enforce'] as PodSecurityLevel;
  let level: PodSecurityLevel = 'restricted';
  for (const o of objects) if (o.component && podTemplateOf(o.object)) level = morePermissive(level, declared.components.get(o.component) ?? declared.app);
  return level;
}

const SERVED = new Set(['v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'autoscaling/v2', 'rbac.authorization.k8s.io/v1', 'policy/v1']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

/**
 * The app's namespaced objects moved to `ns` (cluster-scoped ones and kinds the test cluster does
 * not serve left out), without priority classes (the cluster has none of those the specs name, and
 * the Priority admission would refuse the pods for that).
 */
function movedTo(app: CompiledApp, ns: string): K8sObject[] {
  return app.phases
    .flatMap((p) => p.objects.map((o) => o.object))
    .filter((o) => SERVED.has(o.apiVersion) && !CLUSTER_SCOPED.has(o.kind))
    .map((o) => {
      const moved = structuredClone(o);
      moved.metadata.namespace = ns;
      for (const s of (moved.subjects as Array<{ namespace?: string }> | undefined) ?? []) if (s.namespace) s.namespace = ns;
      const pod = podTemplateOf(moved);
      if (pod) delete pod.spec.priorityClassName;
      return moved;
    });
}

/** The label selector of the pods a workload makes. */
function podSelector(o: K8sObject): string {
  if (o.kind === 'Job') return `batch.kubernetes.io/job-name=${o.metadata.name}`;
  const match = (o.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
  return Object.entries(match)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

async function podsOf(ns: string, selector: string): Promise<number> {
  return (await cluster.kubectlJson<{ items: unknown[] }>(['get', 'pods', '-n', ns, '-l', selector])).items.length;
}

const specDirs = [...caseDirs(join(REPO, 'fixtures/render')), ...caseDirs(join(REPO, 'examples'))];

describe('every example and render fixture is admitted where its level is enforced', { timeout: 240_000 }, () => {
  it.each(specDirs.map((d) => relative(REPO, d)))('%s', async (rel) => {
    const dir = join(REPO, rel);
    const result = await compileDir(dir);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const declared = declaredLevels(dir);
    let pods = 0;
    for (const app of result.apps) {
      const level = levelOf(app, declared.get(app.name)!);
      const ns = await namespaceEnforcing(`pss-${basename(dir)}-${app.name}`.slice(0, 40), level);
      const objects = movedTo(app, ns);
      const applied = await kubectl(
        ['apply', '--server-side', '--field-manager=pss-test', '-f', '-'],
        JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
      );
      expect(applied.stderr, `${app.name} in a namespace enforcing ${level}`).toBe('');
      expect(applied.code).toBe(0);

      // The pods themselves: admission enforces on them, made by the controllers (a CronJob's by a Job made from it).
      const workloads = objects.filter(
        (o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind) && (o.spec as { replicas?: number }).replicas !== 0,
      );
      for (const cron of objects.filter((o) => o.kind === 'CronJob')) {
        const job = `${cron.metadata.name}-manual`;
        const made = await kubectl(['create', 'job', job, `--from=cronjob/${cron.metadata.name}`, '-n', ns]);
        expect(made.stderr).toBe('');
        workloads.push({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: job, namespace: ns } });
      }
      pods += workloads.length;
      for (const w of workloads) {
        const until = Date.now() + 60_000;
        while ((await podsOf(ns, podSelector(w))) === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
        expect(await podsOf(ns, podSelector(w)), `pods of ${w.kind}/${w.metadata.name} in ${ns}`).toBeGreaterThan(0);
      }
      const refused = await cluster.kubectlJson<{ items: Array<{ message: string }> }>(['get', 'events', '-n', ns, '--field-selector', 'reason=FailedCreate']);
      expect(refused.items.map((e) => e.message)).toEqual([]);
    }
    expect(pods, `${rel} runs no pods`).toBeGreaterThan(0);
  });
});
