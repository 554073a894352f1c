import { createHmac, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testCluster } from '../cluster/cluster.js';
import { cli, tempDir } from '../helpers/cli.js';
import { runDaemon } from '../watch/daemon-fixture.js';
import { RemoteFixture } from '../watch/git/remote-fixture.js';
import { FAILING_MIGRATE_IMAGE, SECRET_VALUE, shopSpec } from '../watch/web/web-view-fixture.js';
import { startRecordingServer, type RecordingServer } from './recording-server.js';

/**
 * Notifications end to end: `kubemin watch --notify` following a real git repository and applying
 * to the test cluster, its sinks real HTTP servers on 127.0.0.1 (a CloudEvents webhook with an
 * HMAC key, a Slack-compatible webhook, GitHub's commit statuses) and one that never answers. And
 * `kubemin apply --notify` as CI runs it.
 */
const cluster = testCluster();
const HMAC_KEY = 'hmac-key-for-the-test-8f2c';
const GITHUB_TOKEN = 'ghp_testtokenthatmustnotleak123';
const servers: RecordingServer[] = [];
const namespaces: string[] = [];

afterAll(async () => {
  for (const s of servers) await s.close();
  for (const ns of namespaces) await cluster.kubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
}, 60_000);

async function server(): Promise<RecordingServer> {
  const s = await startRecordingServer();
  servers.push(s);
  return s;
}

async function namespace(prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  namespaces.push(name);
  await cluster.kubectl(['create', 'namespace', name]);
  await cluster.kubectl(['wait', '--for=create', '-n', name, 'serviceaccount/default', '--timeout=60s']);
  return name;
}

async function until<T>(what: string, logs: () => string, check: () => T | undefined | false): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const v = check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; log:\n${logs()}`);
}

/** The CloudEvents a webhook server received, by type. */
const cloudEvents = (s: RecordingServer, type?: string): any[] => s.requests.map((r) => r.json).filter((e) => e && (type === undefined || e.type === type));

describe('kubemin watch --notify', { timeout: 240_000 }, () => {
  it("tells each sink of the applies; a failing Job's event names the Job, its exit and its source line; a sink that hangs holds nothing up", async () => {
    const [hook, slack, github, stuck] = await Promise.all([server(), server(), server(), server()]);
    stuck.reply(() => 'hang');
    github.reply((req) => ({ status: 201, body: { id: 1, state: req.json?.state } }));
    const ns = await namespace('notify');
    const dir = tempDir();
    writeFileSync(join(dir, 'hmac'), `${HMAC_KEY}\n`);
    writeFileSync(join(dir, 'slack-url'), `${slack.url}/services/T000/B000/secretpart\n`);
    writeFileSync(join(dir, 'gh-token'), `${GITHUB_TOKEN}\n`);
    writeFileSync(
      join(dir, 'notify.yaml'),
      [
        'apiVersion: kubemin.dev/v1alpha1',
        'kind: Notifications',
        'webViewUrl: https://kubemin.example.com',
        'sinks:',
        '  - name: hook',
        '    type: webhook',
        `    url: ${hook.url}/kubemin`,
        '    secretFile: hmac',
        '  - name: team-slack',
        '    type: slack',
        '    urlFile: slack-url',
        '    events: [apply.failed]',
        '  - name: gh',
        '    type: github-status',
        '    repository: acme/deploy',
        `    api: ${github.url}`,
        '    tokenFile: gh-token',
        '  - name: stuck',
        '    type: webhook',
        `    url: ${stuck.url}/never`,
        '',
      ].join('\n'),
    );
    const fx = new RemoteFixture();
    const first = fx.commit('shop', { 'apps/shop/kubemin.yaml': shopSpec(ns) });
    const d = runDaemon(fx, cluster.kubeconfig, { timeoutMs: 60_000, listen: '127.0.0.1:0', notify: join(dir, 'notify.yaml') });
    const { events, logs } = d;
    try {
      const ended = (n: number): boolean => events.filter((e) => e.type === 'status-written' && e.app === 'shop').length >= n;
      await until('the first apply reported', logs, () => ended(1));
      await until('its events delivered', logs, () => cloudEvents(hook, 'dev.kubemin.apply.succeeded').length === 1);

      // The webhook: CloudEvents, signed, field by field.
      const [started] = cloudEvents(hook, 'dev.kubemin.apply.started');
      const [succeeded] = cloudEvents(hook, 'dev.kubemin.apply.succeeded');
      expect(hook.requests.map((r) => [r.method, r.path, r.headers['content-type']])).toEqual([
        ['POST', '/kubemin', 'application/cloudevents+json; charset=utf-8'],
        ['POST', '/kubemin', 'application/cloudevents+json; charset=utf-8'],
      ]);
      for (const r of hook.requests) expect(r.headers['x-kubemin-signature-256']).toBe(`sha256=${createHmac('sha256', HMAC_KEY).update(r.body).digest('hex')}`);
      expect(started).toMatchObject({ specversion: '1.0', subject: 'shop', datacontenttype: 'application/json' });
      expect(started.data).toMatchObject({ kind: 'apply.started', app: 'shop', namespace: ns, commit: { sha: first, subject: 'shop' }, trigger: 'commit' });
      expect(succeeded.data).toMatchObject({
        kind: 'apply.succeeded',
        outcome: 'succeeded',
        commit: { sha: first, subject: 'shop' },
        link: 'https://kubemin.example.com/apps/shop',
      });
      expect(succeeded.data.durations.phases.map((p: { phase: string }) => p.phase)).toEqual(['01-config', '02-migrate', '03-web']);
      expect(succeeded.id).not.toBe(started.id);
      // GitHub: pending, then success, on the applied commit, with the token.
      await until('two commit statuses', logs, () => github.requests.length === 2);
      expect(github.requests.map((r) => [r.method, r.path, r.json.state, r.json.context, r.headers.authorization])).toEqual([
        ['POST', `/repos/acme/deploy/statuses/${first}`, 'pending', 'kubemin/shop', `Bearer ${GITHUB_TOKEN}`],
        ['POST', `/repos/acme/deploy/statuses/${first}`, 'success', 'kubemin/shop', `Bearer ${GITHUB_TOKEN}`],
      ]);
      // Slack was told nothing: only failures are routed to it.
      expect(slack.requests).toEqual([]);

      // A second commit whose migration Job fails; its message quotes the Secret's value.
      const second = fx.commitOnRemoteTip(`migrate again (token was ${SECRET_VALUE})`, { 'apps/shop/kubemin.yaml': shopSpec(ns, FAILING_MIGRATE_IMAGE) });
      expect((await fetch(`${await d.url}/hooks/git`, { method: 'POST', body: '{}' })).status).toBe(202);
      await until('the second apply reported', logs, () => ended(2));
      const failed = await until('the failure delivered', logs, () => cloudEvents(hook, 'dev.kubemin.apply.failed')[0]);
      expect(failed.data.commit).toEqual({ sha: second, subject: 'migrate again (token was ***)', author: 'Seeder' });
      expect(failed.data.failure).toMatchObject({ phase: '02-migrate', source: expect.stringMatching(/^apps\/shop\/kubemin\.yaml:\d+$/) });
      expect(failed.data.failure.object).toMatch(new RegExp(`^Job ${ns}/migrate-[0-9a-f]+$`));
      // The exit reason: the Job's, and its container's.
      expect(failed.data.failure.reason).toBe('BackoffLimitExceeded');
      expect(failed.data.failure.cause).toContain('container migrate exited with code 1 (Error)');
      expect(failed.data.summary).toContain(failed.data.failure.source);
      const slackMessage = await until('the Slack message', logs, () => slack.requests[0]);
      expect(slackMessage.path).toBe('/services/T000/B000/secretpart');
      expect(slackMessage.json.text).toContain('shop');
      expect(JSON.stringify(slackMessage.json.blocks)).toContain(failed.data.failure.source);
      await until('the failure status', logs, () => github.requests.find((r) => r.json.state === 'failure'));

      // The stuck sink got its requests and never answered: the daemon applied and reported both commits all the same.
      expect(stuck.requests.length).toBeGreaterThanOrEqual(1);
      // No secret in the daemon's log nor in any request a sink received.
      const everything = [logs(), ...[hook, slack, github, stuck].flatMap((s) => s.requests.map((r) => r.body))].join('\n');
      for (const secret of [SECRET_VALUE, HMAC_KEY, 'secretpart']) expect(everything).not.toContain(secret);
      expect(logs()).not.toContain(GITHUB_TOKEN);
    } finally {
      await d.stop();
    }
  });
});

describe('kubemin apply --notify', { timeout: 180_000 }, () => {
  it("tells the sinks when each app starts and ends, with the commit given; a config's mistake stops it at its line", async () => {
    const hook = await server();
    const ns = await namespace('notify-apply');
    const dir = tempDir();
    writeFileSync(join(dir, 'kubemin.yaml'), shopSpec(ns));
    writeFileSync(
      join(dir, 'notify.yaml'),
      ['apiVersion: kubemin.dev/v1alpha1', 'kind: Notifications', 'sinks:', '  - name: ci', '    type: webhook', `    url: ${hook.url}/ci`, ''].join('\n'),
    );
    const sha = 'c0ffee0000000000000000000000000000000001';
    const r = await cli(['apply', '.', '--kubeconfig', cluster.kubeconfig, '--notify', 'notify.yaml', '--commit', sha], dir);
    expect(r.code, r.stderr).toBe(0);
    // Delivered before the command exited.
    expect(cloudEvents(hook).map((e) => [e.type, e.data.trigger, e.data.commit.sha])).toEqual([
      ['dev.kubemin.apply.started', 'cli', sha],
      ['dev.kubemin.apply.succeeded', 'cli', sha],
    ]);
    expect(`${r.stdout}${r.stderr}${hook.requests.map((q) => q.body).join('')}`).not.toContain(SECRET_VALUE);

    writeFileSync(
      join(dir, 'bad.yaml'),
      ['apiVersion: kubemin.dev/v1alpha1', 'kind: Notifications', 'sinks:', '  - name: ci', '    type: pager', ''].join('\n'),
    );
    const bad = await cli(['apply', '.', '--kubeconfig', cluster.kubeconfig, '--notify', 'bad.yaml'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:5:11/);
  });
});
