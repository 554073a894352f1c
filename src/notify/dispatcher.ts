import { Counter, Gauge, type Registry } from 'prom-client';
import type { Notification } from './notification.js';
import { routeMatches, type Route } from './route.js';
import { createPostJson, DeliveryError, type PostJson } from './sinks/http.js';
import type { Sink } from './sinks/types.js';

type NotifyLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type NotifyLog = (level: NotifyLogLevel, message: string, fields: Record<string, string | number | boolean | undefined>) => void;

/** Tells sinks about events, in the background: an apply or a status commit never waits for it. */
export interface Notifier {
  /** Queues the notification for every sink whose route it matches. Returns at once; never throws. */
  notify(n: Notification): void;
  /** Stops taking notifications, delivers what is queued within `timeoutMs`, then gives up the rest (counted as failed). */
  close(timeoutMs: number): Promise<void>;
}

export interface RoutedSink {
  readonly sink: Sink;
  readonly route: Route;
  /** Each request's timeout. */
  readonly timeoutMs: number;
}

interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** The wait before the second attempt; doubled each time, up to maxDelayMs, with jitter. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** A server's Retry-After is followed up to this long. */
  readonly maxRetryAfterMs: number;
}

export interface DispatcherOptions {
  /** Where the notification metrics are registered (the daemon's /metrics registry). */
  readonly registry: Registry;
  readonly log: NotifyLog;
  /** Masks secret values in what is logged (kubemin's Redactor.scrub, plus the sinks' own secrets). */
  readonly scrub: (text: string) => string;
  readonly fetch?: typeof fetch;
  /** Notifications waiting per sink; beyond, the oldest is dropped (and counted). Default 1000. */
  readonly queueSize?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** In [0, 1): the jitter of the backoff (tests make it fixed). */
  readonly random?: () => number;
  /** Waits between attempts (tests record the delays instead). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const DEFAULT_QUEUE_SIZE = 1000;
/** Ids of the last notifications taken: one told again is not sent again. */
const SEEN_IDS = 10_000;
const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, initialDelayMs: 1000, maxDelayMs: 60_000, maxRetryAfterMs: 300_000 };

interface NotifyMetrics {
  readonly sent: Counter<'sink' | 'outcome'>;
  readonly dropped: Counter<'sink'>;
  readonly queued: Gauge<'sink'>;
}

/** The notifier of a set of sinks: one bounded queue and one worker per sink, so that a slow sink delays none of the others. */
export function createDispatcher(sinks: readonly RoutedSink[], opts: DispatcherOptions): Notifier {
  const metrics = notifyMetrics(opts.registry);
  const closing = new AbortController();
  const retry = { ...DEFAULT_RETRY, ...opts.retry };
  const queues = sinks.map((s) => new SinkQueue(s, { ...opts, retry, metrics, closing: closing.signal }));
  let closed = false;
  const seen = new RecentIds(SEEN_IDS);
  return {
    notify(n) {
      if (closed) {
        opts.log('warn', 'notification after the notifier was closed: not sent', { kind: n.kind, app: opts.scrub(n.key) });
        return;
      }
      // The same event told again (a status report that fails to push each round) is sent once.
      if (!seen.add(n.id)) return;
      for (const q of queues) {
        try {
          if (routeMatches(q.routed.route, n)) q.push(n);
        } catch (err) {
          opts.log('error', 'notification not queued', { sink: q.routed.sink.name, kind: n.kind, error: opts.scrub(String((err as Error).message)) });
        }
      }
    },
    async close(timeoutMs) {
      closed = true;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const drained = await Promise.race([Promise.all(queues.map((q) => q.idle())).then(() => 'drained' as const), deadline]);
      clearTimeout(timer);
      if (drained === 'timeout') {
        closing.abort();
        for (const q of queues) q.abandon();
        await Promise.all(queues.map((q) => q.idle()));
      }
    },
  };
}

interface QueueOptions extends DispatcherOptions {
  readonly retry: RetryPolicy;
  readonly metrics: NotifyMetrics;
  readonly closing: AbortSignal;
}

class SinkQueue {
  private readonly items: Notification[] = [];
  private inFlight = false;
  private worker: Promise<void> | undefined;
  private readonly post: PostJson;
  private readonly labels: { sink: string };

  constructor(
    readonly routed: RoutedSink,
    private readonly opts: QueueOptions,
  ) {
    this.labels = { sink: routed.sink.name };
    this.post = createPostJson({ fetch: opts.fetch ?? fetch, timeoutMs: routed.timeoutMs, signal: opts.closing });
    opts.metrics.queued.set(this.labels, 0);
    opts.metrics.sent.inc({ ...this.labels, outcome: 'delivered' }, 0);
    opts.metrics.sent.inc({ ...this.labels, outcome: 'failed' }, 0);
    opts.metrics.dropped.inc(this.labels, 0);
  }

  push(n: Notification): void {
    if (this.items.length >= (this.opts.queueSize ?? DEFAULT_QUEUE_SIZE)) {
      const dropped = this.items.shift()!;
      this.opts.metrics.dropped.inc(this.labels);
      this.opts.log('warn', 'notification dropped: the queue is full', { ...this.fields(dropped) });
    }
    this.items.push(n);
    this.gauge();
    this.start();
  }

  private start(): void {
    if (this.worker) return;
    this.worker = this.run().finally(() => {
      this.worker = undefined;
      // Pushed after the loop saw the queue empty, before this ran.
      if (this.items.length) this.start();
    });
  }

  /** Resolves when nothing is queued or under way. */
  async idle(): Promise<void> {
    while (this.worker) await this.worker;
  }

  /** Gives up what is still queued (the notifier closed). */
  abandon(): void {
    const left = this.items.splice(0);
    if (!left.length) return;
    this.opts.metrics.sent.inc({ ...this.labels, outcome: 'failed' }, left.length);
    this.opts.log('warn', 'notifications not delivered: the notifier closed before', { sink: this.routed.sink.name, notifications: left.length });
    this.gauge();
  }

  private gauge(): void {
    this.opts.metrics.queued.set(this.labels, this.items.length + (this.inFlight ? 1 : 0));
  }

  private async run(): Promise<void> {
    // Queued work starts on the next turn: notify() returns before any request is made.
    await Promise.resolve();
    for (let n = this.items.shift(); n; n = this.items.shift()) {
      this.inFlight = true;
      this.gauge();
      await this.deliver(n);
      this.inFlight = false;
      this.gauge();
    }
  }

  /** One notification, tried until it is delivered, fails for good, or the notifier gives up. */
  private async deliver(n: Notification): Promise<void> {
    const { retry, log, metrics } = this.opts;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.routed.sink.deliver(n, this.post);
        metrics.sent.inc({ ...this.labels, outcome: 'delivered' });
        log('debug', 'notification delivered', { ...this.fields(n), attempt });
        return;
      } catch (err) {
        const e = err instanceof DeliveryError ? err : new DeliveryError(`the sink failed: ${(err as Error).message}`, false);
        const error = this.opts.scrub(e.message);
        const last = !e.retryable || attempt >= retry.maxAttempts || this.opts.closing.aborted;
        if (last) {
          metrics.sent.inc({ ...this.labels, outcome: 'failed' });
          const why = e.retryable ? `after ${attempt} attempt${attempt === 1 ? '' : 's'}` : 'not retried';
          log('error', `notification not delivered (${why})`, { ...this.fields(n), attempt, error });
          return;
        }
        const delay = this.delay(attempt, e.retryAfterMs);
        log('warn', 'notification not delivered; trying again', { ...this.fields(n), attempt, retryInMs: delay, error });
        try {
          await (this.opts.sleep ?? sleep)(delay, this.opts.closing);
        } catch {
          // Closed while waiting: the next attempt is the last.
        }
      }
    }
  }

  /** Exponential backoff with jitter (between half the ceiling and the ceiling); the server's Retry-After (capped) when it gave one. */
  private delay(attempt: number, retryAfterMs: number | undefined): number {
    const { retry } = this.opts;
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, retry.maxRetryAfterMs);
    const ceiling = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * (this.opts.random ?? Math.random)());
  }

  private fields(n: Notification): Record<string, string> {
    return { sink: this.routed.sink.name, type: this.routed.sink.type, kind: n.kind, app: this.opts.scrub(n.key), id: n.id };
  }
}

/** The last `max` ids, oldest forgotten first. */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly max: number) {}

  /** False when the id is already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The metrics, on the given registry (once: a second notifier on it shares them). */
function notifyMetrics(registry: Registry): NotifyMetrics {
  const existing = <T>(name: string): T | undefined => registry.getSingleMetric(name) as T | undefined;
  return {
    sent:
      existing<Counter<'sink' | 'outcome'>>('kubemin_notifications_total') ??
      new Counter({
        name: 'kubemin_notifications_total',
        help: 'Notifications by sink and outcome: delivered, or failed (refused, retries exhausted, or given up when the notifier closed).',
        labelNames: ['sink', 'outcome'] as const,
        registers: [registry],
      }),
    dropped:
      existing<Counter<'sink'>>('kubemin_notifications_dropped_total') ??
      new Counter({
        name: 'kubemin_notifications_dropped_total',
        help: "Notifications dropped because a sink's queue was full (the oldest first).",
        labelNames: ['sink'] as const,
        registers: [registry],
      }),
    queued:
      existing<Gauge<'sink'>>('kubemin_notification_queue_length') ??
      new Gauge({
        name: 'kubemin_notification_queue_length',
        help: 'Notifications waiting for a sink, the one being delivered included.',
        labelNames: ['sink'] as const,
        registers: [registry],
      }),
  };
}
