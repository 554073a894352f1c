import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request, type Agent, type AgentOptions } from 'node:https';
import type { K8sObject } from '../k8s/types.js';
import { WatchError } from './types.js';

/** A watch event as the API server sends it, one JSON object per line. */
type RawEvent =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: K8sObject }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string };

export interface StreamWatchOptions {
  readonly url: URL;
  readonly agent: Agent | HttpAgent;
  readonly tls: AgentOptions;
  readonly headers: Record<string, string>;
  readonly idleTimeoutMs: number;
  /** Where the watch starts: returned as the last version seen when no event moves it. */
  readonly resourceVersion: string;
  readonly signal?: AbortSignal;
  readonly onEvent: (e: RawEvent) => void;
  /** The error for a request that could not be sent (no connection): a ClusterError of the client's. */
  readonly unreachable: (err: Error) => Error;
}

/**
 * One `?watch=1` request. Resolves with the last resourceVersion seen when the server ends the
 * stream or the signal aborts it, or with the response when the server refused the watch
 * (status >= 300, body parsed: the caller makes the error). Rejects with WatchError: `Gone` for
 * an ERROR event 410 (the version is compacted away), `Failed` for another ERROR event,
 * `Dropped` when the connection breaks mid-stream; with `unreachable(err)` when there is no
 * connection at all.
 */
export function streamWatch(opts: StreamWatchOptions): Promise<string | { status: number; body: unknown }> {
  const send = opts.url.protocol === 'http:' ? httpRequest : request;
  let version = opts.resourceVersion;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return resolve(version);
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      f();
    };
    const onAbort = (): void => {
      finish(() => resolve(version));
      req.destroy();
    };
    let responded = false;
    const req = send(opts.url, { ...opts.tls, method: 'GET', agent: opts.agent, timeout: opts.idleTimeoutMs, headers: { ...opts.headers, Accept: 'application/json' } }, (res) => {
      responded = true;
      if ((res.statusCode ?? 0) >= 300) return readRefusal(res).then((r) => finish(() => resolve(r)), (err: Error) => finish(() => reject(dropped(err))));
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let nl: number;
        while (!settled && (nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (line) handle(line);
        }
      });
      res.on('end', () => finish(() => resolve(version)));
      res.on('error', (err) => finish(() => reject(dropped(err))));
      res.on('close', () => finish(() => reject(dropped(new Error('the connection closed before the stream ended')))));
    });
    const dropped = (err: Error): WatchError => new WatchError('Dropped', `the watch of ${opts.url.pathname} broke: ${err.message}`, version, undefined, { cause: err });
    /** One line of the stream; an ERROR event ends the watch. */
    function handle(line: string): void {
      let e: { type?: string; object?: Record<string, any> };
      try {
        e = JSON.parse(line) as typeof e;
      } catch (err) {
        finish(() => reject(dropped(new Error(`not a watch event: ${line.slice(0, 200)}`, { cause: err }))));
        req.destroy();
        return;
      }
      const object = e.object ?? {};
      if (e.type === 'ERROR') {
        const code = typeof object.code === 'number' ? object.code : undefined;
        const message = `the watch of ${opts.url.pathname} ended: ${String(object.message ?? object.reason ?? 'ERROR')}`;
        finish(() => reject(new WatchError(code === 410 ? 'Gone' : 'Failed', message, version, code)));
        req.destroy();
        return;
      }
      const rv = object.metadata?.resourceVersion as string | undefined;
      if (rv) version = rv;
      if (e.type === 'BOOKMARK') opts.onEvent({ type: 'BOOKMARK', resourceVersion: version });
      else if (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED') opts.onEvent({ type: e.type, object: object as K8sObject });
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('timeout', () => req.destroy(new Error(`no event for ${opts.idleTimeoutMs} ms`)));
    req.on('error', (err) => finish(() => reject(responded ? dropped(err) : opts.unreachable(err))));
    req.end();
  });
}

/** The body of a refused watch (a Status, usually), parsed when it is JSON. */
function readRefusal(res: IncomingMessage): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text for the error
      }
      resolve({ status: res.statusCode ?? 0, body });
    });
    res.on('error', reject);
  });
}
