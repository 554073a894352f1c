import type { Clock } from '../clock.js';

/** At most this much of an answer's body is read (the rest is dropped): enough for a status or an excerpt. */
const MAX_BODY_BYTES = 64 * 1024;
/** How much of a body a message quotes. */
const EXCERPT_CHARS = 300;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 30_000;

export interface HttpRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  /** Sent as is: the same bytes on every try (a signature of them stays valid). */
  readonly body?: Uint8Array;
}

/** How one request ended: an answer (any status), or none. */
export type HttpResult =
  | { readonly kind: 'answer'; readonly status: number; readonly headers: Headers; readonly text: string }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'interrupted' };

export interface SendOptions {
  readonly clock: Clock;
  /** No answer by then (the clock's milliseconds): `timeout`. */
  readonly deadline: number;
  readonly signal?: AbortSignal;
  /** Sent again this many times after a connection error, a 429 or a 5xx answer. */
  readonly retries: number;
  /** Told before each wait to send again (for progress). */
  readonly onRetry?: (attempt: number, why: string, waitMs: number) => void;
}

/** A 429 or a 5xx: the receiver may answer otherwise a moment later. */
export const retryableStatus = (status: number): boolean => status === 429 || status >= 500;

/**
 * Sends a request, again after connection errors and retryable answers, waiting 1s, 2s, 4s...
 * (or what Retry-After says) between; never past the deadline: the last result is returned
 * when the next try could not be sent in time. Redirects are not followed (credentials in
 * headers would go along to wherever they point).
 */
export async function sendWithRetries(req: HttpRequest, opts: SendOptions): Promise<HttpResult & { readonly attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    const result = await sendOnce(req, opts);
    const retryable = result.kind === 'error' || (result.kind === 'answer' && retryableStatus(result.status));
    if (!retryable || attempt > opts.retries) return { ...result, attempts: attempt };
    const waitMs = backoffMs(attempt, result.kind === 'answer' ? result.headers : undefined);
    if (opts.clock.now() + waitMs >= opts.deadline) return { ...result, attempts: attempt };
    opts.onRetry?.(attempt, result.kind === 'answer' ? `answered ${result.status}` : result.message, waitMs);
    await opts.clock.sleep(waitMs, opts.signal);
    if (opts.signal?.aborted) return { kind: 'interrupted', attempts: attempt };
  }
}

/** Attempt n waits BACKOFF_BASE_MS * 2^(n-1), at most BACKOFF_MAX_MS, or the answer's Retry-After (seconds) when it gives one. */
export function backoffMs(attempt: number, headers?: Headers): number {
  const after = retryAfterMs(headers);
  if (after !== undefined) return Math.min(after, BACKOFF_MAX_MS);
  return Math.min(BACKOFF_BASE_MS * 2 ** (attempt - 1), BACKOFF_MAX_MS);
}

/** Retry-After as a number of seconds (the HTTP-date form is not used by the services this talks to). */
export function retryAfterMs(headers?: Headers): number | undefined {
  const value = headers?.get('retry-after')?.trim();
  return value && /^\d+$/.test(value) ? Number(value) * 1000 : undefined;
}

/** One request, aborted at the deadline or when the apply is stopped. */
export async function sendOnce(req: HttpRequest, opts: Pick<SendOptions, 'clock' | 'deadline' | 'signal'>): Promise<HttpResult> {
  const remaining = opts.deadline - opts.clock.now();
  if (remaining <= 0) return { kind: 'timeout' };
  if (opts.signal?.aborted) return { kind: 'interrupted' };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, remaining);
  const stop = (): void => controller.abort();
  opts.signal?.addEventListener('abort', stop, { once: true });
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      redirect: 'manual',
      signal: controller.signal,
    });
    const text = await readBounded(res);
    return { kind: 'answer', status: res.status, headers: res.headers, text };
  } catch (err) {
    if (opts.signal?.aborted) return { kind: 'interrupted' };
    if (timedOut) return { kind: 'timeout' };
    return { kind: 'error', message: describeFetchError(err) };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', stop);
  }
}

/** The body's first MAX_BODY_BYTES, as text; the rest is not read. */
async function readBounded(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_BODY_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES));
}

/** fetch says "fetch failed" and puts the reason (ECONNREFUSED, a TLS problem) in its cause. */
function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const message = cause?.message ?? (err as Error).message ?? String(err);
  return cause?.code && !message.includes(cause.code) ? `${cause.code}: ${message}` : message;
}

/** A URL for messages: no query or fragment (they may hold tokens), no user name or password. */
export function shownUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** The start of a body for a one-line message, masked first (a value cut in two would escape the mask). */
export function excerpt(text: string, mask: (s: string) => string): string {
  // Control characters (line breaks, escapes a terminal would obey) become blanks: one plain line.
  const line = mask(text)
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!line) return '(empty body)';
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS)}…` : line;
}
