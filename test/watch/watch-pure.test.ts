import { createHmac } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AppApplyResult } from '../../src/apply/types.js';
import { startWatchServer, parseListen } from '../../src/watch/http-server.js';
import { createLogger } from '../../src/watch/logger.js';
import { WatchMetrics } from '../../src/watch/metrics.js';
import { buildStatusReport, emitStatusReport, parseStatusReport, statusCommitMessage, statusPath } from '../../src/watch/status-report.js';

const result = (outcome: AppApplyResult['outcome'], failure: AppApplyResult['failure'] = null): AppApplyResult => ({
  app: 'shop',
  namespace: 'shop',
  outcome,
  startedAt: '2026-11-24T10:00:00.000Z',
  finishedAt: '2026-11-24T10:00:05.000Z',
  durationMs: 5000,
  phases: [
    {
      index: 1,
      name: 'app',
      stepType: 'deploy',
      outcome: failure ? 'failed' : 'ready',
      startedAt: '2026-11-24T10:00:00.000Z',
      finishedAt: '2026-11-24T10:00:05.000Z',
      durationMs: 5000,
      attempts: 1,
      objects: [
        {
          ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
          component: 'web',
          source: 'kubemin.yaml:9',
          action: 'configured',
          state: failure ? 'failed' : 'ready',
          message: 'x',
        },
      ],
      reasons: failure ? [failure.message] : [],
    },
  ],
  pruned: [{ ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'old' }, action: 'deleted' }],
  failure,
  warnings: [],
});

describe('status reports', () => {
  const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

  it('says what was applied, per phase, and reads back', () => {
    const report = buildStatusReport(result('applied'), { commit: sha, trigger: 'commit', bundleDigest: 'sha256:abc' });
    expect(statusPath('shop')).toBe('.kubemin/status/shop.yaml');
    expect(statusCommitMessage(report)).toBe('kubemin: shop applied at a1b2c3d [skip ci]');
    const text = emitStatusReport(report);
    expect(text).toContain('outcome: applied');
    expect(text).toContain('object: Deployment shop/web');
    expect(text).toContain('- "ConfigMap shop/old: deleted"');
    expect(parseStatusReport(text)).toEqual(report);
    expect(parseStatusReport('kind: Other\n')).toBeUndefined();
    expect(parseStatusReport(': not yaml [')).toBeUndefined();
  });

  it('keeps the last failure while later applies succeed', () => {
    const failed = buildStatusReport(result('failed', { phase: '01-app', message: 'Deployment shop/web: ImagePullBackOff' }), {
      commit: sha,
      trigger: 'commit',
      bundleDigest: 'sha256:abc',
    });
    expect(failed.lastFailure).toEqual({ commit: sha, at: '2026-11-24T10:00:05.000Z', phase: '01-app', message: 'Deployment shop/web: ImagePullBackOff' });
    const recovered = buildStatusReport(result('applied'), { commit: 'f'.repeat(40), trigger: 'commit', bundleDigest: 'sha256:def', previous: failed });
    expect(recovered.outcome).toBe('applied');
    expect(recovered.lastFailure).toEqual(failed.lastFailure);
  });
});

describe('logs', () => {
  it('text for people, JSON for collectors, below the level dropped', () => {
    const lines: string[] = [];
    const now = () => new Date('2026-11-24T10:00:00.000Z');
    createLogger({ format: 'text', write: (l) => lines.push(l), now }).log('info', 'apply failed', {
      app: 'shop',
      reason: 'Deployment shop/web: ImagePullBackOff',
      n: 2,
      gone: undefined,
    });
    createLogger({ format: 'json', write: (l) => lines.push(l), now }).log('warn', 'drift', { app: 'shop' });
    createLogger({ format: 'json', level: 'warn', write: (l) => lines.push(l), now }).log('info', 'dropped');
    expect(lines).toEqual([
      '2026-11-24T10:00:00.000Z info  apply failed app=shop reason="Deployment shop/web: ImagePullBackOff" n=2\n',
      '{"time":"2026-11-24T10:00:00.000Z","level":"warn","msg":"drift","app":"shop"}\n',
    ]);
  });
});

describe("the daemon's HTTP server", () => {
  const log = createLogger({ format: 'text', write: () => undefined });

  it('parses listen addresses', () => {
    expect(parseListen(':9090')).toEqual({ host: undefined, port: 9090 });
    expect(parseListen('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListen('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(() => parseListen('localhost:http')).toThrow(/not a port/);
  });

  it('serves health, readiness, metrics and the push webhook (signed when a secret is set)', async () => {
    const metrics = new WatchMetrics();
    metrics.applies.inc({ app: 'shop', outcome: 'applied', trigger: 'commit' });
    let notReady: string | undefined = 'the repository has not been fetched yet';
    let hooks = 0;
    const server = await startWatchServer({ listen: '127.0.0.1:0', metrics, notReady: () => notReady, onHook: () => hooks++, webhookSecret: 's3cret', log });
    onTestFinished(() => server.close());
    const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);
    expect((await get('/healthz')).status).toBe(200);
    const waiting = await get('/readyz');
    expect(waiting.status).toBe(503);
    expect(await waiting.text()).toBe('not ready: the repository has not been fetched yet\n');
    notReady = undefined;
    expect((await get('/readyz')).status).toBe(200);
    const text = await (await get('/metrics')).text();
    expect(text).toContain('kubemin_applies_total{app="shop",outcome="applied",trigger="commit"} 1');
    expect(text).toContain('# TYPE kubemin_commit_to_applied_seconds histogram');
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    expect((await get('/hooks/git', { method: 'POST', body })).status).toBe(401);
    const sig = `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`;
    expect((await get('/hooks/git', { method: 'POST', body, headers: { 'X-Hub-Signature-256': sig } })).status).toBe(202);
    expect((await get('/hooks/git')).status).toBe(405);
    expect((await get('/nope')).status).toBe(404);
    expect(hooks).toBe(1);
  });
});
