import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notificationOfStart, notificationsFromApply, type Notification, type NotificationContext } from '../../src/notify/notification.js';
import { failedJobResult, SHA } from './fixtures.js';
import { notifierFrom } from './harness.js';
import { startRecordingServer, type RecordingServer } from './recording-server.js';

const ctx: NotificationContext = {
  commit: { sha: SHA, subject: 'Migrate the orders table', author: 'Ada' },
  trigger: 'commit',
  time: '2026-12-04T10:00:09.500Z',
  webViewUrl: 'https://kubemin.example.com',
  scrub: (t) => t,
};
const failed = (): Notification => notificationsFromApply(failedJobResult(), ctx)[0]!;
const started = (): Notification =>
  notificationOfStart(
    { app: 'shop', environment: 'production', namespace: 'shop-prod', startedAt: '2026-12-04T10:00:00.000Z' },
    { ...ctx, time: '2026-12-04T10:00:00.000Z' },
  );

let server: RecordingServer;
beforeEach(async () => {
  server = await startRecordingServer();
});
afterEach(async () => {
  await server.close();
});

describe('webhook', () => {
  it('POSTs a CloudEvents 1.0 structured event, signed with HMAC-SHA256, with the extra headers', async () => {
    const { notifier } = notifierFrom(
      `apiVersion: kubemin.dev/v1alpha1
kind: Notifications
sinks:
  - name: ci
    type: webhook
    url: ${server.url}/hook
    secretEnv: HOOK_KEY
    headers:
      - name: Authorization
        valueEnv: HOOK_TOKEN
      - name: X-Team
        value: payments
`,
      { HOOK_KEY: 'hmac-key-0123456789', HOOK_TOKEN: 'Bearer hook-token-abcdef' },
    );
    const n = failed();
    notifier.notify(n);
    await notifier.close(5000);
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe('/hook');
    expect(req!.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(req!.headers.authorization).toBe('Bearer hook-token-abcdef');
    expect(req!.headers['x-team']).toBe('payments');
    expect(req!.headers['x-kubemin-event']).toBe('apply.failed');
    expect(req!.headers['x-kubemin-delivery']).toBe(n.id);
    const e = req!.json;
    expect(e.specversion).toBe('1.0');
    expect(e.id).toBe(n.id);
    expect(e.source).toBe('kubemin/test');
    expect(e.type).toBe('dev.kubemin.apply.failed');
    expect(e.subject).toBe('production/shop');
    expect(e.time).toBe('2026-12-04T10:00:09.500Z');
    expect(e.datacontenttype).toBe('application/json');
    expect(e.data.app).toBe('shop');
    expect(e.data.environment).toBe('production');
    expect(e.data.commit).toEqual({ sha: SHA, subject: 'Migrate the orders table', author: 'Ada' });
    expect(e.data.failure).toEqual({
      phase: '01-migrate',
      object: 'Job shop-prod/migrate',
      reason: 'BackoffLimitExceeded',
      cause: 'Job has reached the specified backoff limit',
      source: 'kubemin.yaml:42',
    });
    expect(e.data.link).toBe('https://kubemin.example.com/apps/production/shop');
    // The signature, as a receiver checks it.
    const expected = Buffer.from(`sha256=${createHmac('sha256', 'hmac-key-0123456789').update(req!.body).digest('hex')}`);
    const given = Buffer.from(String(req!.headers['x-kubemin-signature-256']));
    expect(given.length).toBe(expected.length);
    expect(timingSafeEqual(given, expected)).toBe(true);
    // And it fails for another key.
    expect(String(req!.headers['x-kubemin-signature-256'])).not.toBe(`sha256=${createHmac('sha256', 'other').update(req!.body).digest('hex')}`);
  });

  it('no signature header without a key', async () => {
    const { notifier } = notifierFrom(
      `apiVersion: kubemin.dev/v1alpha1\nkind: Notifications\nsinks:\n  - { name: ci, type: webhook, url: "${server.url}/hook" }\n`,
      {},
    );
    notifier.notify(failed());
    await notifier.close(5000);
    expect(server.requests[0]!.headers['x-kubemin-signature-256']).toBeUndefined();
  });
});

describe('slack', () => {
  it('posts text and blocks: app, environment, outcome as emoji and word, commit, the failure and a link button', async () => {
    const { notifier } = notifierFrom(`apiVersion: kubemin.dev/v1alpha1\nkind: Notifications\nsinks:\n  - { name: ops, type: slack, urlEnv: SLACK_URL }\n`, {
      SLACK_URL: `${server.url}/services/T000/B000/slacksecretpath`,
    });
    notifier.notify(failed());
    await notifier.close(5000);
    const [req] = server.requests;
    expect(req!.path).toBe('/services/T000/B000/slacksecretpath');
    expect(req!.headers['content-type']).toBe('application/json; charset=utf-8');
    const m = req!.json;
    expect(m.text).toBe(
      ':x: failed production/shop: 01-migrate: Job shop-prod/migrate BackoffLimitExceeded: Job has reached the specified backoff limit (kubemin.yaml:42)',
    );
    expect(m.blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: ':x: failed *production/shop*\n*App:* shop\n*Environment:* production\n*Outcome:* :x: failed\n*Commit:* `3f2a9c1d4b5e` Migrate the orders table (Ada)\n*Trigger:* commit\n*Duration:* 9.5s',
      },
    });
    expect(m.blocks[1].text.text).toBe(
      '*Phase:* 01-migrate\n*Object:* Job shop-prod/migrate\n*Reason:* BackoffLimitExceeded\n*Cause:* Job has reached the specified backoff limit\n*Source:* `kubemin.yaml:42`',
    );
    expect(m.blocks[2]).toEqual({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in kubemin' }, url: 'https://kubemin.example.com/apps/production/shop' }],
    });
  });

  it('by default, an apply start is not posted', async () => {
    const { notifier } = notifierFrom(`apiVersion: kubemin.dev/v1alpha1\nkind: Notifications\nsinks:\n  - { name: ops, type: slack, urlEnv: SLACK_URL }\n`, {
      SLACK_URL: `${server.url}/services/x`,
    });
    notifier.notify(started());
    notifier.notify(failed());
    await notifier.close(5000);
    expect(server.requests.map((r) => r.json.text.slice(0, 10))).toEqual([':x: failed']);
  });
});

const github = (type: string, extra = ''): string =>
  `apiVersion: kubemin.dev/v1alpha1\nkind: Notifications\nsinks:\n  - name: gh\n    type: ${type}\n    repository: acme/deploy\n    api: API\n    tokenEnv: GH_TOKEN\n${extra}`;

describe('github-status', () => {
  it('sets kubemin/<app>/<env> pending, then failure, on the applied commit', async () => {
    const { notifier } = notifierFrom(github('github-status').replace('API', server.url), { GH_TOKEN: 'ghp_secrettoken123456' });
    notifier.notify(started());
    notifier.notify(failed());
    await notifier.close(5000);
    expect(server.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', `/repos/acme/deploy/statuses/${SHA}`],
      ['POST', `/repos/acme/deploy/statuses/${SHA}`],
    ]);
    const [pending, failure] = server.requests;
    expect(pending!.headers.authorization).toBe('Bearer ghp_secrettoken123456');
    expect(pending!.headers.accept).toBe('application/vnd.github+json');
    expect(pending!.json).toEqual({
      state: 'pending',
      context: 'kubemin/shop/production',
      description: 'production/shop: applying 3f2a9c1d4b5e "Migrate the orders table"',
      target_url: 'https://kubemin.example.com/apps/production/shop',
    });
    expect(failure!.json.state).toBe('failure');
    expect(failure!.json.context).toBe('kubemin/shop/production');
    expect([...failure!.json.description].length).toBeLessThanOrEqual(140);
    expect(failure!.json.description).toMatch(
      /^failed at 01-migrate: Job shop-prod\/migrate BackoffLimitExceeded: Job has reached the specified backoff limit/,
    );
  });
});

describe('github-deployment', () => {
  it('creates a deployment at the start, then its statuses in_progress and failure', async () => {
    server.reply((req) => (req.path.endsWith('/deployments') ? { status: 201, body: { id: 4242 } } : { status: 201, body: { id: 1 } }));
    const { notifier } = notifierFrom(github('github-deployment', '    environmentUrl: https://{app}.example.com\n').replace('API', server.url), {
      GH_TOKEN: 'ghp_secrettoken123456',
    });
    notifier.notify(started());
    notifier.notify(failed());
    await notifier.close(5000);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/repos/acme/deploy/deployments',
      '/repos/acme/deploy/deployments/4242/statuses',
      '/repos/acme/deploy/deployments/4242/statuses',
    ]);
    const [create, progress, failure] = server.requests;
    expect(create!.json).toEqual({
      ref: SHA,
      task: 'deploy',
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      production_environment: true,
      description: 'kubemin applies production/shop',
      payload: { app: 'shop', environment: 'production', namespace: 'shop-prod' },
    });
    expect(progress!.json).toMatchObject({ state: 'in_progress', log_url: 'https://kubemin.example.com/apps/production/shop' });
    expect(progress!.json.environment_url).toBeUndefined();
    expect(failure!.json.state).toBe('failure');
    expect(failure!.json.description).toMatch(/^failed at 01-migrate: Job shop-prod\/migrate/);
  });

  it('a success sets the environment URL; a final event whose start was missed creates the deployment then', async () => {
    server.reply((req) => (req.path.endsWith('/deployments') ? { status: 201, body: { id: 7 } } : { status: 201, body: {} }));
    const { notifier } = notifierFrom(github('github-deployment', '    environmentUrl: https://{app}.example.com\n').replace('API', server.url), {
      GH_TOKEN: 'ghp_secrettoken123456',
    });
    const ok = notificationsFromApply({ ...failedJobResult(), outcome: 'applied', failure: null }, ctx)[0]!;
    notifier.notify(ok);
    await notifier.close(5000);
    expect(server.requests.map((r) => r.path)).toEqual(['/repos/acme/deploy/deployments', '/repos/acme/deploy/deployments/7/statuses']);
    expect(server.requests[1]!.json).toMatchObject({ state: 'success', environment_url: 'https://shop.example.com' });
  });

  it('a start retried after its status failed reuses the deployment it created', async () => {
    let statuses = 0;
    server.reply((req) =>
      req.path.endsWith('/deployments') ? { status: 201, body: { id: 9 } } : statuses++ === 0 ? { status: 502 } : { status: 201, body: {} },
    );
    const { notifier } = notifierFrom(github('github-deployment').replace('API', server.url), { GH_TOKEN: 'ghp_secrettoken123456' });
    notifier.notify(started());
    await notifier.close(5000);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/repos/acme/deploy/deployments',
      '/repos/acme/deploy/deployments/9/statuses',
      '/repos/acme/deploy/deployments/9/statuses',
    ]);
  });
});
