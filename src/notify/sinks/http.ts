/** A delivery that did not succeed: whether to try again, and when at the earliest. Its message never holds a URL. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The server's Retry-After, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

interface HttpResponse {
  readonly status: number;
  /** The body parsed as JSON; undefined when it is not JSON. */
  readonly json: unknown;
}

/** One POST: resolves for a 2xx, else throws a DeliveryError. */
export type PostJson = (url: string, body: string, headers: Readonly<Record<string, string>>) => Promise<HttpResponse>;

export interface HttpOptions {
  readonly fetch: typeof fetch;
  /** Each request is given up after this long (a server that hangs is a retryable failure). */
  readonly timeoutMs: number;
  /** Aborts requests under way (the notifier closing). */
  readonly signal?: AbortSignal;
}

const USER_AGENT = 'kubemin-notify';

/**
 * POSTs with Node's fetch. Network errors, timeouts, 5xx and 429 are retryable (429 and 503 with
 * the server's Retry-After); other statuses are not. No message says the URL: fetch's errors
 * may quote it, with the token in its path or query, so only their code is kept.
 */
export function createPostJson(opts: HttpOptions): PostJson {
  return async (url, body, headers) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), opts.timeoutMs);
    const onAbort = (): void => controller.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let response: Response;
    let text: string;
    try {
      response = await opts.fetch(url, {
        method: 'POST',
        body,
        headers: { 'User-Agent': USER_AGENT, ...headers },
        signal: controller.signal,
        redirect: 'error',
      });
      text = await response.text();
    } catch (err) {
      if (opts.signal?.aborted) throw new DeliveryError('given up: the notifier was closed', false);
      if (controller.signal.aborted) throw new DeliveryError(`no answer within ${opts.timeoutMs} ms`, true);
      throw new DeliveryError(`network error: ${networkCode(err)}`, true);
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
    if (response.status >= 200 && response.status < 300) return { status: response.status, json: parseJson(text) };
    const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
    const after = retryAfterMs(response.headers.get('retry-after'));
    throw new DeliveryError(`HTTP ${response.status}${describeBody(text)}`, retryable, after);
  };
}

/** The error's code (ECONNREFUSED, UND_ERR_SOCKET...), never its message, which may quote the URL. */
function networkCode(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; name?: unknown } }).cause;
  const code = cause?.code ?? (err as { code?: unknown }).code ?? cause?.name;
  return typeof code === 'string' && /^[\w.-]+$/.test(code) ? code : 'the request failed';
}

/** A short excerpt of an error body (GitHub's `message`), for the log; the notifier scrubs it. */
function describeBody(text: string): string {
  const parsed = parseJson(text) as { message?: unknown } | undefined;
  const message = typeof parsed?.message === 'string' ? parsed.message : text;
  const line = message.replace(/\s+/g, ' ').trim().slice(0, 200);
  return line ? `: ${line}` : '';
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
