import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Redactor } from '../../src/secrets/redactor.js';
import { notificationOfDrift, notificationsFromApply, type Notification, type NotificationContext } from '../../src/notify/notification.js';
import { appliedResult, failedJobResult, SHA } from './fixtures.js';
import { metricValue, notifierFrom, type LogLine } from './harness.js';
import { startRecordingServer, type RecordingServer } from './recording-server.js';

const ctx: NotificationContext = { commit: { sha: SHA, subject: 'Migrate' }, trigger: 'commit', time: '2026-12-04T10:00:09.500Z', scrub: (t) => t };
const failed = (startedAt = '2026-12-04T10:00:00.000Z'): Notification => notificationsFromApply({ ...failedJobResult(), startedAt }, ctx)[0]!;
const webhook = (url: string, extra = ''): string =>
  `apiVersion: kubemin.dev/v1alpha1\nkind: Notifications\nsinks:\n  - name: hook\n    type: webhook\n    url: ${url}\n${extra}`;

let server: RecordingServer;
let other: RecordingServer;
beforeEach(async () => {
  [server, other] = await Promise.all([startRecordingServer(), startRecordingServer()]);
});
afterEach(async () => {
  await Promise.all([server.close(), other.close()]);
});

describe('retries', () => {
  it('a 500 is tried again with the same id, until it is accepted', async () => {
    server.reply((_req, i) => (i < 2 ? { status: 500, body: { message: 'boom' } } : { status: 202 }));
    const { notifier, logs, registry } = notifierFrom(webhook(`${server.url}/hook`), {});
    const n = failed();
    notifier.notify(n);
    await notifier.close(5000);
    expect(server.requests).toHaveLength(3);
    expect(new Set(server.requests.map((r) => r.json.id))).toEqual(new Set([n.id]));
    expect(new Set(server.requests.map((r) => r.body)).size).toBe(1);
    expect(logs.filter((l) => l.message === 'notification not delivered; trying again').map((l) => [l.fields.attempt, l.fields.error])).toEqual([
      [1, 'HTTP 500: boom'],
      [2, 'HTTP 500: boom'],
    ]);
    expect(await metricValue(registry, 'kubemin_notifications_total', { sink: 'hook', outcome: 'delivered' })).toBe(1);
    expect(await metricValue(registry, 'kubemin_notifications_total', { sink: 'hook', outcome: 'failed' })).toBe(0);
  });

  it('a 400 is not tried again: logged and counted as failed', async () => {
    server.reply(() => ({ status: 400, body: { message: 'bad event' } }));
    const { notifier, logs, registry } = notifierFrom(webhook(`${server.url}/hook`), {});
    notifier.notify(failed());
    await notifier.close(5000);
    expect(server.requests).toHaveLength(1);
    expect(logs.map((l) => [l.level, l.message, l.fields.error])).toEqual([['error', 'notification not delivered (not retried)', 'HTTP 400: bad event']]);
    expect(await metricValue(registry, 'kubemin_notifications_total', { sink: 'hook', outcome: 'failed' })).toBe(1);
  });

  it("a 429 waits as long as the server's Retry-After says; other failures back off exponentially, with jitter", async () => {
    server.reply((_req, i) => (i === 0 ? { status: 429, headers: { 'Retry-After': '7' } } : i < 4 ? { status: 503 } : { status: 200 }));
    const delays: number[] = [];
    const { notifier } = notifierFrom(
      webhook(`${server.url}/hook`),
      {},
      {
        retry: { initialDelayMs: 1000, maxDelayMs: 3000 },
        random: () => 0.5,
        sleep: async (ms) => {
          delays.push(ms);
        },
      },
    );
    notifier.notify(failed());
    await notifier.close(5000);
    expect(server.requests).toHaveLength(5);
    // 7 s (Retry-After), then ceilings 2 s, 3 s (max), 3 s, each drawn in [ceiling/2, ceiling).
    expect(delays).toEqual([7000, 1500, 2250, 2250]);
  });

  it('gives up after maxAttempts', async () => {
    server.reply(() => ({ status: 500 }));
    const { notifier, logs, registry } = notifierFrom(webhook(`${server.url}/hook`), {}, { retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 1 } });
    notifier.notify(failed());
    await notifier.close(5000);
    expect(server.requests).toHaveLength(3);
    expect(logs.at(-1)!.message).toBe('notification not delivered (after 3 attempts)');
    expect(await metricValue(registry, 'kubemin_notifications_total', { sink: 'hook', outcome: 'failed' })).toBe(1);
  });

  it('a server that never answers is given up after the timeout, and tried again', async () => {
    server.reply((_req, i) => (i === 0 ? 'hang' : { status: 200 }));
    const { notifier, logs } = notifierFrom(webhook(`${server.url}/hook`, '    timeoutMs: 200\n'), {});
    notifier.notify(failed());
    await notifier.close(5000);
    expect(server.requests).toHaveLength(2);
    expect(logs[0]!.fields.error).toBe('no answer within 200 ms');
  });
});

describe('a slow sink delays nothing', () => {
  it('notify() returns before any request is made; the other sink gets its event while the first hangs', async () => {
    server.reply(() => 'hang');
    const { notifier, registry } = notifierFrom(
      `apiVersion: kubemin.dev/v1alpha1
kind: Notifications
sinks:
  - { name: stuck, type: webhook, url: "${server.url}/hook" }
  - { name: fine, type: webhook, url: "${other.url}/hook" }
`,
      {},
    );
    const n = failed();
    notifier.notify(n);
    // Synchronous: nothing was sent yet, both are queued.
    expect(server.requests.length + other.requests.length).toBe(0);
    expect(await metricValue(registry, 'kubemin_notification_queue_length', { sink: 'stuck' })).toBe(1);
    const [got] = await other.received(1);
    expect(got!.json.id).toBe(n.id);
    await server.received(1);
    await vi.waitFor(async () => expect(await metricValue(registry, 'kubemin_notifications_total', { sink: 'fine', outcome: 'delivered' })).toBe(1));
    // The stuck sink still holds its event, unanswered.
    expect(await metricValue(registry, 'kubemin_notification_queue_length', { sink: 'stuck' })).toBe(1);
    expect(await metricValue(registry, 'kubemin_notification_queue_length', { sink: 'fine' })).toBe(0);
    // close() gives up within its timeout: the hanging request is aborted and counted as failed.
    await notifier.close(100);
    expect(await metricValue(registry, 'kubemin_notifications_total', { sink: 'stuck', outcome: 'failed' })).toBe(1);
    expect(await metricValue(registry, 'kubemin_notifications_total', { sink: 'stuck', outcome: 'delivered' })).toBe(0);
  });

  it('a full queue drops its oldest notifications, counted in the metrics', async () => {
    server.reply(() => 'hang');
    const { notifier, registry, logs } = notifierFrom(webhook(`${server.url}/hook`).replace('sinks:', 'queueSize: 2\nsinks:'), {});
    const sent = [0, 1, 2, 3, 4].map((i) => failed(`2026-12-04T10:0${i}:00.000Z`));
    for (const n of sent) notifier.notify(n);
    expect(await metricValue(registry, 'kubemin_notifications_dropped_total', { sink: 'hook' })).toBe(3);
    expect(await metricValue(registry, 'kubemin_notification_queue_length', { sink: 'hook' })).toBe(2);
    expect(logs.filter((l) => l.message === 'notification dropped: the queue is full').map((l) => l.fields.id)).toEqual(sent.slice(0, 3).map((n) => n.id));
    const [first] = await server.received(1);
    expect(first!.json.id).toBe(sent[3]!.id);
    await notifier.close(50);
    // The one under way and the one queued are given up.
    expect(await metricValue(registry, 'kubemin_notifications_total', { sink: 'hook', outcome: 'failed' })).toBe(2);
    expect(await metricValue(registry, 'kubemin_notification_queue_length', { sink: 'hook' })).toBe(0);
  });
});

describe('routes', () => {
  it('filter by event, app glob, environment and outcome', async () => {
    const { notifier } = notifierFrom(
      `apiVersion: kubemin.dev/v1alpha1
kind: Notifications
sinks:
  - name: prod-failures
    type: webhook
    url: "${server.url}/a"
    events: [apply.failed, drift.found]
    apps: ["sho*"]
    environments: [production]
  - name: successes
    type: webhook
    url: "${other.url}/b"
    outcomes: [succeeded]
    apps: ["staging/*"]
`,
      {},
    );
    const all = [
      failed(),
      notificationsFromApply({ ...failedJobResult(), app: 'books' }, ctx)[0]!,
      notificationsFromApply({ ...failedJobResult(), environment: 'staging' }, ctx)[0]!,
      notificationsFromApply({ ...appliedResult(), environment: 'staging' }, ctx)[0]!,
      notificationsFromApply(appliedResult(), ctx)[0]!,
      notificationOfDrift({ app: 'shop', environment: 'production', namespace: 'shop-prod', objects: ['Deployment shop-prod/web'] }, ctx),
      notificationOfDrift({ app: 'shop', namespace: 'shop', objects: ['Deployment shop/web'] }, ctx),
    ];
    for (const n of all) notifier.notify(n);
    await notifier.close(5000);
    expect(server.requests.map((r) => `${r.json.type} ${r.json.subject}`)).toEqual([
      'dev.kubemin.apply.failed production/shop',
      'dev.kubemin.drift.found production/shop',
    ]);
    expect(other.requests.map((r) => `${r.json.type} ${r.json.subject}`)).toEqual(['dev.kubemin.apply.succeeded staging/shop']);
  });
});

describe('secrets', () => {
  it('no token, HMAC key, Slack URL or secret value of a cause appears in a log line, an error or the config printed', async () => {
    const token = 'ghp_TOKEN0123456789abcdef';
    const hmac = 'hmac-Key-9876543210zyx';
    const slackPath = '/services/T0AAA/B0BBB/slackTokenPart123';
    const dbPassword = 'Pa55w0rd-of-the-db';
    server.reply(() => ({ status: 500, body: { message: `rejected ${token}` } }));
    const closedPort = await startRecordingServer();
    const deadUrl = closedPort.url;
    await closedPort.close();
    const redactor = new Redactor();
    redactor.add(dbPassword);
    const yaml = `apiVersion: kubemin.dev/v1alpha1
kind: Notifications
sinks:
  - { name: hook, type: webhook, url: "${server.url}/h", secretEnv: HMAC }
  - { name: slack, type: slack, urlEnv: SLACK_URL, events: [apply.failed] }
  - { name: gh, type: github-status, repository: acme/deploy, api: "${server.url}", tokenEnv: GH }
  - { name: gone, type: webhook, urlEnv: DEAD_URL }
`;
    const { notifier, logs } = notifierFrom(
      yaml,
      { HMAC: hmac, SLACK_URL: `${deadUrl}${slackPath}?token=${token}`, GH: token, DEAD_URL: `${deadUrl}/x?sig=${hmac}` },
      { scrub: (t) => redactor.scrub(t), retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 } },
    );
    const n = notificationsFromApply(failedJobResult(`connection to db refused: password ${dbPassword} wrong`), {
      ...ctx,
      scrub: (t) => redactor.scrub(t),
    })[0]!;
    notifier.notify(n);
    await notifier.close(5000);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.map((r) => r.body).join('\n')).not.toContain(dbPassword);
    const printed = logs.map((l: LogLine) => `${l.message} ${JSON.stringify(l.fields)}`).join('\n');
    // Every sink failed and said why.
    for (const sink of ['hook', 'slack', 'gh', 'gone']) expect(printed).toContain(`"sink":"${sink}"`);
    expect(printed).toContain('network error: ECONNREFUSED');
    for (const secret of [token, hmac, 'slackTokenPart123', dbPassword, deadUrl]) expect(printed).not.toContain(secret);
  });
});

describe('the same event told twice', () => {
  it('is sent once: its id was seen', async () => {
    const { notifier } = notifierFrom(webhook(`${server.url}/hook`), {});
    notifier.notify(failed());
    notifier.notify(failed());
    notifier.notify(failed('2026-12-04T10:30:00.000Z'));
    await notifier.close(5000);
    expect(server.requests.map((r) => r.json.data.durations.totalMs)).toHaveLength(2);
    expect(new Set(server.requests.map((r) => r.json.id)).size).toBe(2);
  });
});
