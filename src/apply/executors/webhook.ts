import { createHmac } from 'node:crypto';
import type { BundlePhase } from '../../compile.js';
import { ClusterError } from '../../cluster/types.js';
import { formatDuration, parseDuration } from '../../k8s/formats/duration.js';
import { WEBHOOK_SIGNATURE_HEADER, type WebhookHeaderFrom, type WebhookParams, type WebhookSecretKeyRef } from '../../plan/step-types/webhook.js';
import { Redactor } from '../../secrets/redactor.js';
import type { PhaseContext, PhaseRun, StepExecutor } from './types.js';
import { backoffMs, excerpt, retryableStatus, retryAfterMs, sendOnce, sendWithRetries, shownUrl, type HttpResult } from './webhook-http.js';
import { webhookPayload } from './webhook-payload.js';

const DEFAULT_POLL_MS = 5000;

/** What a status URL (or the answer itself) says, for `wait: callback`. */
type Decision = { readonly status: 'succeeded' | 'failed' | 'pending'; readonly message?: string };

/** How the phase ends, before masking. */
const end = (outcome: PhaseRun['outcome'], reason?: string): PhaseRun => ({ outcome, objects: [], reasons: reason ? [reason] : [] });

/**
 * A webhook phase: the headers of `headersFrom` read from their Secrets, the event sent (again
 * after connection errors, 429 and 5xx), then with `wait: response` ready on a 2xx answer, with
 * `wait: callback` ready when the URL the answer gives (Location) says succeeded. Every message
 * is masked: the app's secret values and the headers' values never show, even when the receiver
 * quotes them back.
 */
export const webhookExecutor: StepExecutor = {
  stepType: 'webhook',
  async run(phase, ctx) {
    const params = phase.params as unknown as WebhookParams;
    const local = new Redactor();
    const mask = (s: string): string => ctx.redact(local.scrubForeign(s));
    const run = await callWebhook(phase, params, ctx, local);
    return { ...run, reasons: run.reasons.map(mask) };
  },
};

async function callWebhook(phase: BundlePhase, params: WebhookParams, ctx: PhaseContext, local: Redactor): Promise<PhaseRun> {
  const mask = (s: string): string => ctx.redact(local.scrubForeign(s));
  const url = new URL(params.url);
  const what = `webhook ${params.method} ${shownUrl(url)}`;
  const started = ctx.clock.now();
  const timedOut = (doing: string): PhaseRun =>
    end('timeout', `${what}: ${doing} when the phase timed out (after ${formatDuration(Math.max(0, ctx.clock.now() - started))})`);

  const fromSecrets = await readSecretHeaders(params.headersFrom ?? [], ctx, local);
  if (typeof fromSecrets === 'string') return end('failed', `${what}: ${fromSecrets}`);
  const signingKey = params.signatureFrom ? await readSecretKey(params.signatureFrom.secretKeyRef, 'signatureFrom', ctx, local) : undefined;
  if (typeof signingKey === 'object') return end('failed', `${what}: ${signingKey.error}`);

  const { idempotencyKey, event } = webhookPayload({ app: ctx.app, phase, params, time: started, commit: ctx.commit });
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': 'kubemin',
    'idempotency-key': idempotencyKey,
    ...(params.method !== 'GET' ? { 'content-type': 'application/cloudevents+json; charset=utf-8' } : {}),
  };
  for (const [name, value] of Object.entries({ ...params.headers, ...fromSecrets })) headers[name.toLowerCase()] = value;
  // The body is encoded once: the signature is of the very bytes sent, and every retry sends them again with it.
  const body = params.method !== 'GET' ? Buffer.from(JSON.stringify(event), 'utf8') : undefined;
  // signatureFrom with GET is refused by the plan (nothing to sign); a bundle that has it anyway gets no signature.
  if (signingKey !== undefined && body !== undefined) headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] = signature(signingKey, body);

  ctx.progress(0, 1, `${what} to answer`);
  const answer = await sendWithRetries(
    { method: params.method, url, headers, ...(body !== undefined ? { body } : {}) },
    {
      clock: ctx.clock,
      deadline: ctx.deadline,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      retries: params.retries,
      onRetry: (_n, why, waitMs) => ctx.progress(0, 1, `${what} again in ${formatDuration(waitMs)} (${mask(why)})`),
    },
  );
  const tries = answer.attempts > 1 ? ` (${answer.attempts} attempts)` : '';
  switch (answer.kind) {
    case 'interrupted':
      return end('interrupted', `${what}: interrupted`);
    case 'timeout':
      return timedOut('no answer');
    case 'error':
      return end('failed', `${what} failed: ${answer.message}${tries}`);
    case 'answer':
      break;
    default: {
      const never: never = answer;
      throw new Error(`unknown result ${String(never)}`);
    }
  }
  if (answer.status < 200 || answer.status > 299)
    return end('failed', `${what} answered ${describeStatus(answer.status)}: ${excerpt(answer.text, mask)}${tries}`);
  if (params.wait === 'response') return end('ready');

  // wait: callback. The answer may decide at once; else it names where to ask (Location).
  const now = decisionOf(answer.text);
  if (typeof now !== 'string' && now.status !== 'pending') return decided(now, what, mask);
  const location = answer.headers.get('location');
  if (!location)
    return end(
      'failed',
      `${what} answered ${answer.status} without a Location to poll: wait: callback expects 202 with a Location header, or a body {"status": "succeeded" | "failed"}`,
    );
  let poll: URL;
  try {
    poll = new URL(location, url);
  } catch {
    return end('failed', `${what} answered ${answer.status} with a Location that is not a URL`);
  }
  if ((poll.protocol !== 'http:' && poll.protocol !== 'https:') || poll.username || poll.password)
    return end('failed', `${what} answered ${answer.status} with a Location kubemin does not poll (http or https, no user name or password)`);
  const intervalMs = parseDuration(params.pollInterval ?? '') ?? DEFAULT_POLL_MS;
  return pollDecision(poll, {
    // The step's headers (credentials included) go only where the step sends them: the same origin.
    headers: poll.origin === url.origin ? withoutBody(headers) : { accept: 'application/json', 'user-agent': 'kubemin', 'idempotency-key': idempotencyKey },
    firstWaitMs: retryAfterMs(answer.headers) ?? intervalMs,
    intervalMs,
    retries: params.retries,
    what,
    ctx,
    mask,
    timedOut,
    ...(typeof now !== 'string' && now.message ? { pending: now.message } : {}),
  });
}

interface PollOptions {
  readonly headers: Record<string, string>;
  /** Before the first poll: the answer's Retry-After, else the interval. */
  readonly firstWaitMs: number;
  readonly intervalMs: number;
  readonly retries: number;
  readonly what: string;
  readonly ctx: PhaseContext;
  readonly mask: (s: string) => string;
  readonly timedOut: (doing: string) => PhaseRun;
  readonly pending?: string;
}

/**
 * Polls the status URL until it says succeeded or failed, or the phase times out. Connection
 * errors, 429 and 5xx are tolerated `retries` times in a row (with backoff); any other answer
 * that is not 2xx fails the phase.
 */
async function pollDecision(poll: URL, o: PollOptions): Promise<PhaseRun> {
  const { ctx, what, mask } = o;
  const polled = `status GET ${shownUrl(poll)}`;
  let waitMs = o.firstWaitMs;
  let errors = 0;
  let last = o.pending ? `pending: ${excerpt(o.pending, mask)}` : 'pending';
  for (;;) {
    ctx.progress(0, 1, `${what}: ${last}`);
    await ctx.clock.sleep(Math.min(waitMs, Math.max(0, ctx.deadline - ctx.clock.now())), ctx.signal);
    if (ctx.signal?.aborted) return end('interrupted', `${what}: interrupted`);
    if (ctx.clock.now() >= ctx.deadline) return o.timedOut(`still ${last} (${polled})`);
    const r: HttpResult = await sendOnce(
      { method: 'GET', url: poll, headers: o.headers },
      { clock: ctx.clock, deadline: ctx.deadline, ...(ctx.signal ? { signal: ctx.signal } : {}) },
    );
    if (r.kind === 'interrupted') return end('interrupted', `${what}: interrupted`);
    if (r.kind === 'timeout') return o.timedOut(`still ${last} (${polled} had not answered)`);
    if (r.kind === 'error' || retryableStatus(r.status)) {
      const why = r.kind === 'error' ? `failed: ${r.message}` : `answered ${describeStatus(r.status)}: ${excerpt(r.text, mask)}`;
      if (++errors > o.retries) return end('failed', `${what}: ${polled} ${why} (${errors} times in a row)`);
      waitMs = backoffMs(errors, r.kind === 'answer' ? r.headers : undefined);
      continue;
    }
    errors = 0;
    if (r.status < 200 || r.status > 299) return end('failed', `${what}: ${polled} answered ${describeStatus(r.status)}: ${excerpt(r.text, mask)}`);
    const said = decisionOf(r.text);
    if (typeof said === 'string') {
      // A 202 (or 204) without a status is "not yet"; a 200 must say what it means.
      if (r.status !== 202 && r.status !== 204)
        return end('failed', `${what}: ${polled} answered ${r.status} ${said}: expects {"status": "succeeded" | "failed" | "pending", "message": "..."}`);
      last = 'pending';
    } else if (said.status !== 'pending') return decided(said, what, mask, polled);
    else last = said.message ? `pending: ${excerpt(said.message, mask)}` : 'pending';
    waitMs = retryAfterMs(r.headers) ?? o.intervalMs;
  }
}

function decided(d: Decision, what: string, mask: (s: string) => string, from?: string): PhaseRun {
  if (d.status === 'succeeded') return end('ready');
  const by = from ? ` (${from})` : '';
  return end('failed', `${what}: the callback says failed${by}${d.message ? `: ${excerpt(d.message, mask)}` : ''}`);
}

/** `{"status": "succeeded" | "failed" | "pending", "message": "..."}` (status in any case), or why the text is not that. */
function decisionOf(text: string): Decision | string {
  if (!text.trim()) return 'no status';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'with a body that is not JSON';
  }
  const status = (body as { status?: unknown } | null)?.status;
  if (status === undefined) return 'no status';
  const message = (body as { message?: unknown }).message;
  const s = typeof status === 'string' ? status.toLowerCase() : '';
  if (s !== 'succeeded' && s !== 'failed' && s !== 'pending') return `with status ${JSON.stringify(status).slice(0, 40)}`;
  return { status: s, ...(typeof message === 'string' && message ? { message } : {}) };
}

/** The headers for a GET: no content-type, there is no content, and no signature of a content. */
function withoutBody(headers: Record<string, string>): Record<string, string> {
  const { 'content-type': _type, [WEBHOOK_SIGNATURE_HEADER.toLowerCase()]: _signature, ...rest } = headers;
  return rest;
}

function describeStatus(status: number): string {
  return status >= 300 && status < 400 ? `${status} (redirects are not followed)` : String(status);
}

/**
 * The values of `headersFrom`, read from their Secrets in the app's namespace, each registered
 * with `local` (and the credential after a scheme such as Bearer) so that no message shows it;
 * or why one could not be read.
 */
async function readSecretHeaders(list: readonly WebhookHeaderFrom[], ctx: PhaseContext, local: Redactor): Promise<Record<string, string> | string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const value = await readSecretKey(h.secretKeyRef, `header ${h.name}`, ctx, local);
    if (typeof value !== 'string') return value.error;
    const credential = /^\S+\s+(\S{8,})$/.exec(value)?.[1];
    if (credential) local.add(credential);
    if (/[\r\n\0]/.test(value))
      return `header ${h.name}: key "${h.secretKeyRef.key}" of the Secret ${ctx.app.namespace}/${h.secretKeyRef.name} holds a line break: not a header value`;
    out[h.name] = value;
  }
  return out;
}

/**
 * The value of a Secret key in the app's namespace, surrounding blanks and a final newline
 * dropped, registered with `local` (as read and as used) so that no message shows it; or why it
 * could not be read, naming the Secret and the key (`what`: what it is for, e.g. "header X").
 */
async function readSecretKey(ref: WebhookSecretKeyRef, what: string, ctx: PhaseContext, local: Redactor): Promise<string | { readonly error: string }> {
  const { name, key } = ref;
  const where = `Secret ${ctx.app.namespace}/${name}`;
  let secret;
  try {
    secret = await ctx.client.get({ apiVersion: 'v1', kind: 'Secret', namespace: ctx.app.namespace, name });
  } catch (err) {
    const reason = err instanceof ClusterError ? `${err.reason}: ` : '';
    return { error: `${what}: the ${where} could not be read: ${reason}${(err as Error).message}` };
  }
  if (!secret) return { error: `${what}: there is no ${where}` };
  const encoded = (secret as { data?: Record<string, string> }).data?.[key];
  if (encoded === undefined) return { error: `${what}: the ${where} has no key "${key}"` };
  const raw = Buffer.from(encoded, 'base64').toString('utf8');
  const value = raw.trim();
  local.add(raw);
  local.add(value);
  if (!value) return { error: `${what}: key "${key}" of the ${where} is empty` };
  return value;
}

/** `sha256=<hex of HMAC-SHA256(key, body)>`: the notification webhook sink's scheme, GitHub's X-Hub-Signature-256. */
function signature(key: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}
