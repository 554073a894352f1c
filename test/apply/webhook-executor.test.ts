import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/apply/clock.js';
import type { PhaseContext, PhaseRun } from '../../src/apply/executors/types.js';
import { webhookExecutor } from '../../src/apply/executors/webhook.js';
import { emitApp } from '../../src/bundle/emit-bundle.js';
import type { CompiledApp } from '../../src/compile.js';
import type { ClusterClient } from '../../src/cluster/types.js';
import type { ObjectRef } from '../../src/k8s/object-ref.js';
import { appRedactor } from '../../src/secrets/register-secrets.js';
import { compileApp } from '../helpers/spec.js';
import { serve, type Seen } from './webhook-server.js';

/**
 * The webhook executor against real HTTP servers on 127.0.0.1: what it sends, how it waits, how
 * it fails. The clock is real but for the waits between tries, which it records and shortens, so
 * that a test of three tries does not take seven seconds.
 */

const answer = (res: ServerResponse, status: number, body = '', headers: Record<string, string> = {}): void => {
  res.writeHead(status, headers);
  res.end(body);
};

const APP_SECRET = 'sup3r-s3cret-db-password';
const TOKEN = 'Bearer tok-9f8e7d6c5b4a3210';

/** config -> the webhook step -> web, compiled; its webhook phase. */
function appWith(step: Record<string, unknown>): { app: CompiledApp; phase: CompiledApp['phases'][number] } {
  const r = compileApp(
    {
      components: [
        { name: 'settings', type: 'config', data: { MODE: 'fast' } },
        { name: 'db-password', type: 'secret', stringData: { password: APP_SECRET } },
        { name: 'web', type: 'webservice', image: 'ghcr.io/acme/web:1.0', ports: [{ port: 8080 }] },
      ],
      workflow: {
        steps: [
          { name: 'config', components: ['settings', 'db-password'], mode: 'parallel' },
          { name: 'approve', type: 'webhook', ...step },
          { name: 'web', components: ['web'] },
        ],
      },
    },
    { name: 'shop', namespace: 'shop' },
  );
  // A secret written in the spec is only warned about: here it stands for any secret value of the app.
  expect(r.diagnostics.map((d) => d.code)).toEqual(['plain-secret']);
  const app = r.apps[0]!;
  return { app, phase: app.phases.find((p) => p.stepType === 'webhook')! };
}

/** A client that has only the Secrets given (data base64-encoded, as the API server returns it). */
function secretsClient(secrets: Record<string, Record<string, string>>, gets: ObjectRef[] = []): ClusterClient {
  return {
    get: async (ref: ObjectRef) => {
      gets.push(ref);
      const data = secrets[`${ref.namespace}/${ref.name}`];
      if (ref.kind !== 'Secret' || !data) return undefined;
      return {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: ref.name, namespace: ref.namespace },
        data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      };
    },
  } as unknown as ClusterClient;
}

interface Run {
  readonly run: PhaseRun;
  readonly sleeps: number[];
  readonly progress: string[];
}

async function runPhase(
  app: CompiledApp,
  phase: CompiledApp['phases'][number],
  opts: { timeoutMs?: number; client?: ClusterClient; signal?: AbortSignal } = {},
): Promise<Run> {
  const sleeps: number[] = [];
  const progress: string[] = [];
  const clock: Clock = {
    now: () => Date.now(),
    sleep: (ms, signal) => {
      sleeps.push(ms);
      return new Promise((r) => {
        const t = setTimeout(r, Math.min(ms, 20));
        signal?.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
      });
    },
  };
  const redactor = appRedactor(app);
  const ctx: PhaseContext = {
    app,
    client: opts.client ?? secretsClient({}),
    clock,
    deadline: Date.now() + (opts.timeoutMs ?? 10_000),
    ...(opts.signal ? { signal: opts.signal } : {}),
    forceConflicts: false,
    skipPreflight: false,
    concurrency: 4,
    pollMs: 50,
    ruleFor: () => {
      throw new Error('a webhook phase has no objects to wait for');
    },
    redact: (s) => redactor.scrubForeign(s),
    recordApplied: () => {
      throw new Error('a webhook phase applies nothing');
    },
    progress: (_ready, _total, waitingFor) => void progress.push(waitingFor ?? ''),
  };
  return { run: await webhookExecutor.run(phase, ctx), sleeps, progress };
}

describe('webhook step, wait: response', () => {
  it('POSTs a CloudEvent naming the app, the phase and those before and after it; a 2xx answer makes the phase ready', async () => {
    const { base, seen } = await serve((_req, res) => answer(res, 204));
    const { app, phase } = appWith({ url: `${base}/hooks/kubemin?team=shop`, headers: { 'X-Team': 'shop' }, body: { event_type: 'smoke-test' } });
    const { run } = await runPhase(app, phase);
    expect(run).toEqual({ outcome: 'ready', objects: [], reasons: [] });
    expect(seen).toHaveLength(1);
    const req = seen[0]!;
    expect([req.method, req.url]).toEqual(['POST', '/hooks/kubemin?team=shop']);
    expect(req.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(req.headers['x-team']).toBe('shop');
    const event = JSON.parse(req.body);
    expect(event).toEqual({
      event_type: 'smoke-test',
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      source: 'kubemin/shop',
      type: 'dev.kubemin.phase.reached',
      subject: 'approve',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      datacontenttype: 'application/json',
      data: {
        app: 'shop',
        namespace: 'shop',
        phase: { index: 2, name: 'approve', step: 'approve', wait: 'response' },
        previousPhases: [{ index: 1, name: 'config', type: 'deploy', outcome: 'ready', objects: 2 }],
        nextPhases: [{ index: 3, name: 'web', type: 'deploy' }],
        bundleDigest: emitApp(app).planDocument.digest,
        idempotencyKey: event.id,
      },
    });
    expect(req.headers['idempotency-key']).toBe(event.id);
    // No secret value of the app goes out, in any form.
    expect(req.body).not.toContain(APP_SECRET);
    expect(req.body).not.toContain(Buffer.from(APP_SECRET).toString('base64'));
  });

  it('sends the same idempotency key for the same bundle, another when the bundle changes', async () => {
    const { base, seen } = await serve((_req, res) => answer(res, 200, 'ok'));
    const first = appWith({ url: `${base}/hook` });
    await runPhase(first.app, first.phase);
    await runPhase(first.app, first.phase);
    const changed = appWith({ url: `${base}/hook`, body: { note: 'other' } });
    await runPhase(changed.app, changed.phase);
    const ids = seen.map((s) => JSON.parse(s.body).id as string);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('retries a 500 with backoff, then fails the phase with the status and a masked, bounded excerpt of the body', async () => {
    const body = `database said: login with ${APP_SECRET} refused; ${'x'.repeat(1000)}`;
    const { base, seen } = await serve((_req, res) => answer(res, 500, body));
    const { app, phase } = appWith({ url: `${base}/hook?token=query-token-123`, retries: 2 });
    const { run, sleeps } = await runPhase(app, phase);
    expect(seen).toHaveLength(3);
    expect(sleeps).toEqual([1000, 2000]);
    expect(run.outcome).toBe('failed');
    expect(run.reasons).toHaveLength(1);
    const reason = run.reasons[0]!;
    expect(reason).toMatch(new RegExp(`^webhook POST ${base}/hook answered 500: database said: login with \\*\\*\\* refused; x+… \\(3 attempts\\)$`));
    expect(reason).not.toContain(APP_SECRET);
    expect(reason).not.toContain('query-token-123');
    const excerpt = reason.slice(reason.indexOf('answered 500: ') + 'answered 500: '.length, reason.indexOf('…'));
    expect(excerpt).toHaveLength(300);
  });

  it('goes on after a 503 when the next try is answered 2xx, waiting as Retry-After says', async () => {
    const { base, seen } = await serve((_req, res, n) => (n === 1 ? answer(res, 503, 'busy', { 'Retry-After': '3' }) : answer(res, 200)));
    const { app, phase } = appWith({ url: `${base}/hook` });
    const { run, sleeps, progress } = await runPhase(app, phase);
    expect(run.outcome).toBe('ready');
    expect(seen).toHaveLength(2);
    expect(sleeps).toEqual([3000]);
    expect(progress).toContain(`webhook POST ${base}/hook again in 3s (answered 503)`);
  });

  it('does not retry a 4xx, and does not follow a redirect', async () => {
    const { base, seen } = await serve((req, res) =>
      req.url === '/gone' ? answer(res, 404, 'no such hook') : answer(res, 302, '', { Location: `${base}/gone` }),
    );
    const notFound = appWith({ url: `${base}/gone` });
    expect((await runPhase(notFound.app, notFound.phase)).run.reasons).toEqual([`webhook POST ${base}/gone answered 404: no such hook`]);
    const moved = appWith({ url: `${base}/moved` });
    expect((await runPhase(moved.app, moved.phase)).run.reasons).toEqual([
      `webhook POST ${base}/moved answered 302 (redirects are not followed): (empty body)`,
    ]);
    expect(seen.map((s) => s.url)).toEqual(['/gone', '/moved']);
  });

  it('times out with the phase when the server never answers', async () => {
    const { base, seen } = await serve(() => undefined);
    const { app, phase } = appWith({ url: `${base}/hang` });
    const { run } = await runPhase(app, phase, { timeoutMs: 300 });
    expect(seen).toHaveLength(1);
    expect(run.outcome).toBe('timeout');
    expect(run.reasons).toEqual([expect.stringMatching(new RegExp(`^webhook POST ${base}/hang: no answer when the phase timed out \\(after \\d+ms\\)$`))]);
  });

  it('is interrupted when the apply is stopped while it waits', async () => {
    const { base } = await serve(() => undefined);
    const { app, phase } = appWith({ url: `${base}/hang` });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const { run } = await runPhase(app, phase, { signal: stop.signal });
    expect(run).toEqual({ outcome: 'interrupted', objects: [], reasons: [`webhook POST ${base}/hang: interrupted`] });
  });

  it('fails after its retries when nothing listens', async () => {
    const { base, close } = await serve(() => undefined);
    await close();
    const { app, phase } = appWith({ url: `${base}/hook`, retries: 1 });
    const { run, sleeps } = await runPhase(app, phase);
    expect(sleeps).toEqual([1000]);
    expect(run.outcome).toBe('failed');
    expect(run.reasons).toEqual([expect.stringMatching(new RegExp(`^webhook POST ${base}/hook failed: .*ECONNREFUSED.* \\(2 attempts\\)$`))]);
  });
});

describe('webhook step, headersFrom', () => {
  it("sends the Secret's value as the header, and masks it where the answer quotes it back", async () => {
    const { base, seen } = await serve((req, res) => answer(res, 401, `invalid credentials: ${String(req.headers.authorization)}`));
    const { app, phase } = appWith({ url: `${base}/hook`, headersFrom: [{ name: 'Authorization', secretKeyRef: { name: 'ci-token', key: 'header' } }] });
    const gets: ObjectRef[] = [];
    const { run } = await runPhase(app, phase, { client: secretsClient({ 'shop/ci-token': { header: `${TOKEN}\n` } }, gets) });
    expect(gets).toEqual([{ apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'ci-token' }]);
    expect(seen[0]!.headers.authorization).toBe(TOKEN);
    expect(run.outcome).toBe('failed');
    expect(run.reasons).toEqual([`webhook POST ${base}/hook answered 401: invalid credentials: ***`]);
  });

  it('fails before sending anything when the Secret or its key is missing', async () => {
    const { base, seen } = await serve((_req, res) => answer(res, 200));
    const { app, phase } = appWith({ url: `${base}/hook`, headersFrom: [{ name: 'Authorization', secretKeyRef: { name: 'ci-token', key: 'header' } }] });
    expect((await runPhase(app, phase)).run.reasons).toEqual([`webhook POST ${base}/hook: header Authorization: there is no Secret shop/ci-token`]);
    const wrongKey = await runPhase(app, phase, { client: secretsClient({ 'shop/ci-token': { token: TOKEN } }) });
    expect(wrongKey.run.reasons).toEqual([`webhook POST ${base}/hook: header Authorization: the Secret shop/ci-token has no key "header"`]);
    expect(seen).toEqual([]);
  });
});

describe('webhook step, signatureFrom', () => {
  const HMAC_KEY = 'whsec-4f3e2d1c0b9a8877';
  const signatureFrom = { secretKeyRef: { name: 'hook-signing', key: 'hmac' } };

  /** What a receiver does: HMAC-SHA256 of the raw body under the shared key, compared in constant time. */
  const verifies = (req: Seen, key = HMAC_KEY): boolean => {
    const expected = Buffer.from(`sha256=${createHmac('sha256', key).update(req.raw).digest('hex')}`);
    const got = Buffer.from(String(req.headers['x-kubemin-signature-256']));
    return got.length === expected.length && timingSafeEqual(got, expected);
  };

  it('signs the exact bytes sent with the key from the Secret, and a retry after a 500 sends the same bytes with the same valid signature', async () => {
    const { base, seen } = await serve((_req, res, n) => (n === 1 ? answer(res, 500, 'try again') : answer(res, 204)));
    // Not ASCII: the signature is of the UTF-8 bytes, not of the characters.
    const { app, phase } = appWith({ url: `${base}/hook`, signatureFrom, body: { note: 'grüße ✓' } });
    const gets: ObjectRef[] = [];
    const { run, sleeps } = await runPhase(app, phase, { client: secretsClient({ 'shop/hook-signing': { hmac: `${HMAC_KEY}\n` } }, gets) });
    expect(run).toEqual({ outcome: 'ready', objects: [], reasons: [] });
    expect(gets).toEqual([{ apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'hook-signing' }]);
    expect(sleeps).toEqual([1000]);
    expect(seen).toHaveLength(2);
    expect(JSON.parse(seen[0]!.body).note).toBe('grüße ✓');
    expect(seen[0]!.headers['x-kubemin-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(seen.map((s) => verifies(s))).toEqual([true, true]);
    expect(seen[1]!.raw.equals(seen[0]!.raw)).toBe(true);
    expect(seen[1]!.headers['x-kubemin-signature-256']).toBe(seen[0]!.headers['x-kubemin-signature-256']);
    // The key itself, with or without its newline, is a signature a receiver must refuse.
    expect(verifies(seen[0]!, `${HMAC_KEY}\n`)).toBe(false);
    expect(JSON.stringify(seen.map((s) => [s.headers, s.body]))).not.toContain(HMAC_KEY);
  });

  it('masks the key where the answer quotes it back', async () => {
    const { base } = await serve((_req, res) => answer(res, 403, `bad signature, expected a key like ${HMAC_KEY}`));
    const { app, phase } = appWith({ url: `${base}/hook`, signatureFrom, retries: 0 });
    const { run } = await runPhase(app, phase, { client: secretsClient({ 'shop/hook-signing': { hmac: HMAC_KEY } }) });
    expect(run.reasons).toEqual([`webhook POST ${base}/hook answered 403: bad signature, expected a key like ***`]);
  });

  it('fails before sending anything when the Secret or its key is missing, naming them and not the value', async () => {
    const { base, seen } = await serve((_req, res) => answer(res, 200));
    const { app, phase } = appWith({ url: `${base}/hook`, signatureFrom });
    const noSecret = await runPhase(app, phase);
    expect(noSecret.run).toEqual({
      outcome: 'failed',
      objects: [],
      reasons: [`webhook POST ${base}/hook: signatureFrom: there is no Secret shop/hook-signing`],
    });
    const wrongKey = await runPhase(app, phase, { client: secretsClient({ 'shop/hook-signing': { token: HMAC_KEY } }) });
    expect(wrongKey.run.outcome).toBe('failed');
    expect(wrongKey.run.reasons).toEqual([`webhook POST ${base}/hook: signatureFrom: the Secret shop/hook-signing has no key "hmac"`]);
    const empty = await runPhase(app, phase, { client: secretsClient({ 'shop/hook-signing': { hmac: ' \n' } }) });
    expect(empty.run.reasons).toEqual([`webhook POST ${base}/hook: signatureFrom: key "hmac" of the Secret shop/hook-signing is empty`]);
    expect(seen).toEqual([]);
  });

  it('signs the POST but not the polls of wait: callback (a GET has no body to sign)', async () => {
    const { base, seen } = await serve((req, res) =>
      req.method === 'POST' ? answer(res, 202, '', { Location: '/status/1' }) : answer(res, 200, JSON.stringify({ status: 'succeeded' })),
    );
    const { app, phase } = appWith({ url: `${base}/hook`, signatureFrom, wait: 'callback', pollInterval: '10ms' });
    const { run } = await runPhase(app, phase, { client: secretsClient({ 'shop/hook-signing': { hmac: HMAC_KEY } }) });
    expect(run.outcome).toBe('ready');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /hook', 'GET /status/1']);
    expect(verifies(seen[0]!)).toBe(true);
    expect(seen[1]!.headers['x-kubemin-signature-256']).toBeUndefined();
  });
});

describe('webhook step, wait: callback', () => {
  /** Answers the POST 202 with a Location, then each GET of it with the next of `statuses`. */
  const callbackServer = (statuses: Array<[number, unknown]>) =>
    serve((req, res, n) => {
      if (req.method === 'POST') return answer(res, 202, '', { Location: '/status/42?sig=abc' });
      const [status, body] = statuses[Math.min(n - 2, statuses.length - 1)]!;
      answer(res, status, typeof body === 'string' ? body : JSON.stringify(body), { 'Content-Type': 'application/json' });
    });

  it('polls the Location until it says succeeded, pending in between', async () => {
    const { base, seen } = await callbackServer([
      [200, { status: 'pending', message: 'waiting for approval by #shop-oncall' }],
      [202, ''],
      [200, { status: 'Succeeded', message: 'approved by alice' }],
    ]);
    const { app, phase } = appWith({
      url: `${base}/hook`,
      wait: 'callback',
      pollInterval: '250ms',
      headersFrom: [{ name: 'Authorization', secretKeyRef: { name: 'ci-token', key: 'header' } }],
    });
    const { run, sleeps, progress } = await runPhase(app, phase, { client: secretsClient({ 'shop/ci-token': { header: TOKEN } }) });
    expect(run).toEqual({ outcome: 'ready', objects: [], reasons: [] });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /hook', 'GET /status/42?sig=abc', 'GET /status/42?sig=abc', 'GET /status/42?sig=abc']);
    // The same origin: the credentials go with each poll.
    expect(seen.slice(1).map((s) => s.headers.authorization)).toEqual([TOKEN, TOKEN, TOKEN]);
    expect(seen[1]!.headers['content-type']).toBeUndefined();
    expect(sleeps).toEqual([250, 250, 250]);
    expect(progress).toContain(`webhook POST ${base}/hook: pending: waiting for approval by #shop-oncall`);
  });

  it('fails the phase with the message of a callback that says failed, masked', async () => {
    const { base } = await callbackServer([[200, { status: 'failed', message: `smoke test failed: login with ${APP_SECRET} got 500` }]]);
    const { app, phase } = appWith({ url: `${base}/hook`, wait: 'callback', pollInterval: '50ms' });
    const { run } = await runPhase(app, phase);
    expect(run.outcome).toBe('failed');
    expect(run.reasons).toEqual([
      `webhook POST ${base}/hook: the callback says failed (status GET ${base}/status/42): smoke test failed: login with *** got 500`,
    ]);
  });

  it('takes a decision the answer itself carries, without polling', async () => {
    const { base, seen } = await serve((_req, res) => answer(res, 200, JSON.stringify({ status: 'failed', message: 'change freeze until Monday' })));
    const { app, phase } = appWith({ url: `${base}/hook`, wait: 'callback' });
    const { run } = await runPhase(app, phase);
    expect(run.reasons).toEqual([`webhook POST ${base}/hook: the callback says failed: change freeze until Monday`]);
    expect(seen).toHaveLength(1);
  });

  it('says what it expects when the answer has neither a Location nor a decision', async () => {
    const { base } = await serve((_req, res) => answer(res, 200, 'ok'));
    const { app, phase } = appWith({ url: `${base}/hook`, wait: 'callback' });
    const { run } = await runPhase(app, phase);
    expect(run.outcome).toBe('failed');
    expect(run.reasons[0]).toBe(
      `webhook POST ${base}/hook answered 200 without a Location to poll: wait: callback expects 202 with a Location header, or a body {"status": "succeeded" | "failed"}`,
    );
  });

  it('times out while the status stays pending, saying the last status', async () => {
    const { base } = await callbackServer([[200, { status: 'pending', message: 'nobody looked yet' }]]);
    const { app, phase } = appWith({ url: `${base}/hook`, wait: 'callback', pollInterval: '10ms' });
    const { run } = await runPhase(app, phase, { timeoutMs: 400 });
    expect(run.outcome).toBe('timeout');
    expect(run.reasons[0]).toMatch(
      new RegExp(
        `^webhook POST ${base}/hook: still pending: nobody looked yet \\(status GET ${base}/status/42( had not answered)?\\) when the phase timed out`,
      ),
    );
  });

  it('does not send the credentials to a status URL of another origin', async () => {
    const other = await serve((_req, res) => answer(res, 200, JSON.stringify({ status: 'succeeded' })));
    const { base, seen } = await serve((_req, res) => answer(res, 202, '', { Location: `${other.base}/status` }));
    const { app, phase } = appWith({
      url: `${base}/hook`,
      wait: 'callback',
      pollInterval: '10ms',
      headersFrom: [{ name: 'Authorization', secretKeyRef: { name: 'ci-token', key: 'header' } }],
    });
    const { run } = await runPhase(app, phase, { client: secretsClient({ 'shop/ci-token': { header: TOKEN } }) });
    expect(run.outcome).toBe('ready');
    expect(seen[0]!.headers.authorization).toBe(TOKEN);
    expect(other.seen[0]!.headers.authorization).toBeUndefined();
    expect(other.seen[0]!.headers['idempotency-key']).toBe(seen[0]!.headers['idempotency-key']);
  });

  it('fails when the status URL answers 404, or a 200 without a status', async () => {
    const gone = await callbackServer([[404, 'no such approval']]);
    const a = appWith({ url: `${gone.base}/hook`, wait: 'callback', pollInterval: '10ms' });
    expect((await runPhase(a.app, a.phase)).run.reasons).toEqual([
      `webhook POST ${gone.base}/hook: status GET ${gone.base}/status/42 answered 404: no such approval`,
    ]);
    const odd = await callbackServer([[200, { state: 'done' }]]);
    const b = appWith({ url: `${odd.base}/hook`, wait: 'callback', pollInterval: '10ms' });
    expect((await runPhase(b.app, b.phase)).run.reasons).toEqual([
      `webhook POST ${odd.base}/hook: status GET ${odd.base}/status/42 answered 200 no status: expects {"status": "succeeded" | "failed" | "pending", "message": "..."}`,
    ]);
  });
});
