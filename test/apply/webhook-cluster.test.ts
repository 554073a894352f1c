import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppApplyResult } from '../../src/apply/types.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { testCluster } from '../cluster/cluster.js';
import { cli, tempDir } from '../helpers/cli.js';
import { serve } from './webhook-server.js';

/**
 * A webhook step between two phases, applied by `kubemin apply` against the test cluster, calling
 * a server on 127.0.0.1 that looks at the cluster when the call arrives.
 */

const cluster = testCluster();
const TOKEN = 'Bearer cluster-tok-5e4d3c2b1a';
const HMAC_KEY = 'cluster-whsec-7a6b5c4d3e';

/** config -> approve (the webhook) -> web. */
function spec(ns: string, webhook: Record<string, unknown>): string {
  return emitYaml({
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: ns },
    spec: {
      components: [
        { name: 'settings', type: 'config', data: { MODE: 'fast' } },
        { name: 'web', type: 'webservice', image: 'ghcr.io/acme/web:1.0', ports: [{ port: 8080 }] },
      ],
      workflow: {
        steps: [
          { name: 'config', components: ['settings'] },
          { name: 'approve', type: 'webhook', ...webhook },
          { name: 'web', components: ['web'] },
        ],
      },
    },
  } as never);
}

async function apply(text: string, ...args: string[]): Promise<{ code: number; result: AppApplyResult; stderr: string }> {
  const dir = tempDir();
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'kubemin.yaml'), text);
  const r = await cli(['apply', dir, '--kubeconfig', cluster.kubeconfig, '-o', 'json', '--poll-interval', '200ms', ...args]);
  if (!r.stdout.trim()) throw new Error(`kubemin apply printed no result (exit ${r.code}): ${r.stderr}`);
  const parsed = JSON.parse(r.stdout) as { apps: AppApplyResult[] };
  return { code: r.code, result: parsed.apps[0]!, stderr: r.stderr };
}

const outcomes = (r: AppApplyResult): string[] => r.phases.map((p) => `${p.name}:${p.outcome}`);
/** The names of the app's objects of a kind (its inventory ConfigMap left out). */
const names = async (ns: string, kind: string): Promise<string[]> =>
  (await cluster.kubectlJson<any>(['get', kind, '-n', ns, '-l', 'app.kubernetes.io/instance=shop'])).items
    .map((o: any) => o.metadata.name as string)
    .filter((n: string) => !n.startsWith('kubemin-inventory'));

describe('kubemin apply with a webhook step', { timeout: 180_000 }, () => {
  it("calls the webhook after the config phase is ready and before the web phase is applied, with a header from the app's Secret, signed with its key", async () => {
    const ns = await cluster.newNamespace('webhook');
    await cluster.kubectl(['create', 'secret', 'generic', 'ci-token', '-n', ns, `--from-literal=header=${TOKEN}`, `--from-literal=hmac=${HMAC_KEY}`]);
    const seenInCluster: Array<{ configMaps: string[]; deployments: string[] }> = [];
    const { base, seen } = await serve(async (_req, res) => {
      seenInCluster.push({ configMaps: await names(ns, 'configmaps'), deployments: await names(ns, 'deployments') });
      res.writeHead(204);
      res.end();
    });
    const text = spec(ns, {
      url: `${base}/hooks/kubemin`,
      headersFrom: [{ name: 'Authorization', secretKeyRef: { name: 'ci-token', key: 'header' } }],
      signatureFrom: { secretKeyRef: { name: 'ci-token', key: 'hmac' } },
    });

    const { code, result, stderr } = await apply(text);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(outcomes(result)).toEqual(['config:ready', 'approve:ready', 'web:ready']);
    expect(seen).toHaveLength(1);
    expect(seenInCluster).toEqual([{ configMaps: ['settings'], deployments: [] }]);
    expect(seen[0]!.headers.authorization).toBe(TOKEN);
    expect(seen[0]!.headers['x-kubemin-signature-256']).toBe(`sha256=${createHmac('sha256', HMAC_KEY).update(seen[0]!.raw).digest('hex')}`);
    const event = JSON.parse(seen[0]!.body);
    expect(event).toMatchObject({
      type: 'dev.kubemin.phase.reached',
      source: 'kubemin/shop',
      subject: 'approve',
      data: { app: 'shop', namespace: ns, phase: { index: 2, name: 'approve' }, previousPhases: [{ name: 'config', outcome: 'ready' }] },
    });
    expect(JSON.stringify(result)).not.toContain('cluster-tok-5e4d3c2b1a');
    expect(JSON.stringify(result)).not.toContain(HMAC_KEY);
    // Applied: the web phase's objects exist now.
    expect(await names(ns, 'deployments')).toEqual(['web']);
  });

  it('stops the app when the callback says failed: the next phase is not applied, the message is the cause', async () => {
    const ns = await cluster.newNamespace('webhook-denied');
    const { base, seen } = await serve((req, res) => {
      if (req.method === 'POST') {
        res.writeHead(202, { Location: '/approvals/7' });
        return void res.end();
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: 'failed', message: 'denied by bob: change freeze' }));
    });
    const text = spec(ns, { url: `${base}/hooks/kubemin`, wait: 'callback', pollInterval: '100ms' });

    // A dry-run never calls it.
    const dry = await apply(text, '--dry-run');
    expect(dry.code).toBe(0);
    expect(seen).toEqual([]);

    const { code, result } = await apply(text);
    expect(code).toBe(1);
    expect(outcomes(result)).toEqual(['config:ready', 'approve:failed', 'web:skipped']);
    expect(result.failure).toEqual({
      phase: '02-approve',
      message: `webhook POST ${base}/hooks/kubemin: the callback says failed (status GET ${base}/approvals/7): denied by bob: change freeze`,
    });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /hooks/kubemin', 'GET /approvals/7']);
    expect(await names(ns, 'deployments')).toEqual([]);
  });
});
