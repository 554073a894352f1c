import type { K8sObject } from '../k8s/types.js';
import { ClusterError, WatchError, type ClusterClient, type ListOptions } from './types.js';

/** One LIST+WATCH: objects of a kind, in a namespace (or all), with selectors. */
export interface FeedQuery extends ListOptions {
  readonly apiVersion: string;
  readonly kind: string;
}

/** A stable key of a query: one feed per query shape, shared by everyone asking it. */
export function feedKey(q: FeedQuery): string {
  return JSON.stringify([q.apiVersion, q.kind, q.namespace ?? '', q.labelSelector ?? '', q.fieldSelector ?? '']);
}

export interface FeedOptions {
  /** How long to wait before trying again after an error, and between lists when watching is forbidden. */
  readonly retryMs: number;
  /** The clock's sleep (resolves early when the signal aborts). */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * The names the caller wants of this query's objects (of the objects' own kind, not related
   * ones): when the credentials may not list the kind, they are read by name instead.
   */
  readonly names?: readonly string[];
  /** Called after every change of `objects`, `synced` or `error`. */
  readonly onChange: (feed: WatchFeed) => void;
}

/** Errors worth waiting out: the API server restarting or overloaded. */
export function transient(err: unknown): boolean {
  return err instanceof ClusterError && (err.reason === 'Unavailable' || err.reason === 'Timeout' || (err.status ?? 0) >= 500);
}

/** A watch that ends sooner than this after it started is followed by a pause before the next. */
const SHORT_WATCH_MS = 1000;

/**
 * The objects of one query, kept current from a watch (as client-go's reflector: list, then
 * watch from the list's resourceVersion). A watch that ends or breaks is watched again from the
 * last version seen; one whose version is gone (410) is listed afresh. Errors of a list are kept
 * in `error`: a transient one is tried again after `retryMs`, another one stops the feed.
 */
export class WatchFeed {
  /** By namespace/name. */
  readonly objects = new Map<string, K8sObject>();
  /** A list has succeeded: `objects` is the state of the cluster, not nothing yet. */
  synced = false;
  /** The last list's error; undefined since a list succeeded. */
  error: unknown;
  /**
   * How the objects are kept current. `watch`; `poll`, a list every retryMs, when the credentials
   * may list but not watch; `get`, each name read every retryMs, when they may not even list (the
   * watch daemon's Role reads what it applies by name only, so that it cannot enumerate Secrets).
   */
  mode: 'watch' | 'poll' | 'get' = 'watch';
  private readonly stopper = new AbortController();
  readonly done: Promise<void>;

  constructor(
    private readonly client: ClusterClient,
    readonly query: FeedQuery,
    private readonly opts: FeedOptions,
  ) {
    this.done = this.run().catch((err: unknown) => {
      this.error = err;
      this.opts.onChange(this);
    });
  }

  stop(): void {
    this.stopper.abort();
  }

  /** The objects, by name (deterministic for the rules). */
  items(): K8sObject[] {
    return [...this.objects.values()].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  }

  private get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  /** One GET per name (the `get` mode); an error is kept as a list's would be. */
  private async getEach(): Promise<void> {
    const { apiVersion, kind, namespace } = this.query;
    try {
      const got = await Promise.all(
        (this.opts.names ?? []).map(async (name) => [name, await this.client.get({ apiVersion, kind, ...(namespace ? { namespace } : {}), name })] as const),
      );
      if (this.stopped) return;
      this.objects.clear();
      for (const [name, o] of got) if (o) this.objects.set(`${namespace ?? ''}/${name}`, o);
      this.synced = true;
      this.error = undefined;
    } catch (err) {
      if (this.stopped) return;
      this.error = err;
      if (!transient(err)) this.stop();
    }
    this.opts.onChange(this);
  }

  private async run(): Promise<void> {
    const { apiVersion, kind, ...list } = this.query;
    let version: string | undefined;
    while (!this.stopped) {
      if (this.mode === 'get') {
        await this.getEach();
        await this.opts.sleep(this.opts.retryMs, this.stopper.signal);
        continue;
      }
      if (version === undefined) {
        try {
          const l = await this.client.listVersioned(apiVersion, kind, list);
          if (this.stopped) return;
          this.objects.clear();
          for (const o of l.items) this.objects.set(keyOf(o), o);
          this.synced = true;
          this.error = undefined;
          version = l.resourceVersion;
          this.opts.onChange(this);
        } catch (err) {
          if (this.stopped) return;
          if (err instanceof ClusterError && err.reason === 'Forbidden' && this.opts.names) {
            this.mode = 'get';
            continue;
          }
          this.error = err;
          this.opts.onChange(this);
          if (!transient(err)) return;
          await this.opts.sleep(this.opts.retryMs, this.stopper.signal);
          continue;
        }
      }
      if (this.mode === 'poll') {
        await this.opts.sleep(this.opts.retryMs, this.stopper.signal);
        version = undefined;
        continue;
      }
      const started = Date.now();
      try {
        version = await this.client.watch(apiVersion, kind, { ...list, resourceVersion: version, signal: this.stopper.signal }, (e) => {
          if (e.type === 'BOOKMARK') return;
          if (e.type === 'DELETED') this.objects.delete(keyOf(e.object));
          else this.objects.set(keyOf(e.object), e.object);
          this.opts.onChange(this);
        });
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof WatchError) version = err.reason === 'Dropped' ? err.resourceVersion : undefined;
        else if (err instanceof ClusterError && err.reason === 'Forbidden') {
          // The credentials may list but not watch (a daemon's Role with get and list only):
          // fall back to listing every retryMs, as kubemin did before it watched.
          this.mode = 'poll';
          continue;
        } else if (!transient(err)) version = undefined;
      }
      // A watch that keeps ending at once (the API server restarting, refusing) is not retried in a loop.
      if (!this.stopped && Date.now() - started < SHORT_WATCH_MS) await this.opts.sleep(Math.min(this.opts.retryMs, SHORT_WATCH_MS), this.stopper.signal);
    }
  }
}

function keyOf(o: K8sObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}
