import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppApplyResult } from '../../src/apply/types.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { testCluster } from '../cluster/cluster.js';
import { cli, tempDir } from '../helpers/cli.js';

/**
 * `kubemin apply` against a namespace that enforces a stricter Pod Security level than the spec
 * declares: the controllers' pods are refused at admission, and the apply fails at once with the
 * API server's reason instead of waiting out the phase's timeout (which is then reported as
 * `timeout`, not `failed`).
 */

const cluster = testCluster();

async function restrictedNamespace(prefix: string): Promise<string> {
  const ns = await cluster.newNamespace(prefix);
  await cluster.kubectl(['label', 'namespace', ns, 'pod-security.kubernetes.io/enforce=restricted']);
  return ns;
}

async function apply(ns: string, component: Record<string, unknown>): Promise<{ code: number; result: AppApplyResult; stderr: string }> {
  const dir = tempDir();
  mkdirSync(join(dir, 'app'));
  const spec = { apiVersion: 'kubemin.dev/v1alpha1', kind: 'Application', metadata: { name: 'agents', namespace: ns }, spec: { components: [component] } };
  writeFileSync(join(dir, 'app', 'kubemin.yaml'), emitYaml(spec as never));
  const r = await cli(['apply', dir, '--kubeconfig', cluster.kubeconfig, '-o', 'json', '--poll-interval', '200ms', '--timeout', '3m']);
  if (!r.stdout.trim()) throw new Error(`kubemin apply printed no result (exit ${r.code}): ${r.stderr}`);
  return { code: r.code, result: (JSON.parse(r.stdout) as { apps: AppApplyResult[] }).apps[0]!, stderr: r.stderr };
}

/** A privileged component: valid for kubemin (its level says privileged), refused by a restricted namespace. */
const privileged = (type: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'agent',
  type,
  image: 'ghcr.io/acme/agent:1.0',
  policies: { podSecurity: 'privileged' },
  traits: { securityContext: { privileged: true } },
  ...extra,
});

describe('kubemin apply: pods refused at admission fail the phase at once', { timeout: 120_000 }, () => {
  it.each([
    ['Deployment', privileged('worker')],
    ['StatefulSet', privileged('store')],
    ['Job', privileged('job', { job: { backoffLimit: 1 } })],
  ])('%s in a namespace enforcing restricted', async (kind, component) => {
    const ns = await restrictedNamespace(`pss-apply-${kind.toLowerCase()}`);
    const { code, result, stderr } = await apply(ns, component);
    expect(code, stderr).toBe(1);
    const phase = result.phases[0]!;
    expect(phase.outcome, JSON.stringify(phase)).toBe('failed');
    const object = phase.objects.find((o) => o.ref.kind === kind)!;
    expect(object).toMatchObject({ state: 'failed', reason: 'FailedCreate' });
    expect(object.message).toMatch(
      /^its pods are refused: pods "agent-[^"]*" is forbidden: violates PodSecurity "restricted:latest": privileged \(container "agent" must not set securityContext.privileged=true\)/,
    );
    expect(phase.reasons.join('\n')).toMatch(new RegExp(`${kind} ${ns}/agent.*violates PodSecurity`));
    // Far from the 3 minutes it would otherwise have waited.
    expect(phase.durationMs).toBeLessThan(60_000);
  });

  it('the same component in a namespace that allows it is applied and ready', async () => {
    const ns = await cluster.newNamespace('pss-apply-allowed');
    await cluster.kubectl(['label', 'namespace', ns, 'pod-security.kubernetes.io/enforce=privileged']);
    const { code, result, stderr } = await apply(ns, privileged('worker'));
    expect(
      result.phases.map((p) => p.outcome),
      stderr,
    ).toEqual(['ready']);
    expect(code).toBe(0);
  });
});
